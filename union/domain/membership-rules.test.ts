import { describe, expect, it } from 'vitest';

import {
  memberStatuses,
  secretCouldActivate,
  transition,
  type MemberStatus,
} from './membership-rules.ts';

const ok = (current: MemberStatus | null, action: Parameters<typeof transition>[1]) => {
  const t = transition(current, action);
  if (!t.ok) throw new Error(t.message);
  return t;
};

describe('membership transitions', () => {
  it('a new member is pending without an accepted secret and active (logged as join) with one', () => {
    expect(ok(null, { kind: 'join', secretAccepted: false })).toMatchObject({
      next: 'pending',
      log: null,
    });
    expect(ok(null, { kind: 'join', secretAccepted: true })).toMatchObject({
      next: 'active',
      log: 'join',
    });
    expect(ok('left', { kind: 'join', secretAccepted: false })).toMatchObject({
      next: 'pending',
      changed: true,
    });
    expect(ok('pending', { kind: 'join', secretAccepted: true })).toMatchObject({
      next: 'active',
      log: 'join',
    });
  });

  it('joining again never changes an active, removed or rejected member', () => {
    for (const s of ['active', 'removed', 'rejected'] as const) {
      expect(ok(s, { kind: 'join', secretAccepted: true })).toEqual({
        ok: true,
        next: s,
        changed: false,
        log: null,
      });
      expect(secretCouldActivate(s)).toBe(false);
    }
    expect(ok('pending', { kind: 'join', secretAccepted: false }).changed).toBe(false);
  });

  it('admin actions move members as documented and refuse the rest', () => {
    expect(ok('pending', { kind: 'approve' })).toMatchObject({ next: 'active', log: 'join' });
    expect(ok('rejected', { kind: 'approve' })).toMatchObject({ next: 'active', log: 'join' });
    expect(ok('removed', { kind: 'approve' })).toMatchObject({ next: 'active', log: 'join' });
    expect(ok('active', { kind: 'approve' }).changed).toBe(false);
    expect(transition('left', { kind: 'approve' })).toMatchObject({
      ok: false,
      code: 'MEMBER_WRONG_STATUS',
    });
    expect(ok('pending', { kind: 'reject' })).toMatchObject({ next: 'rejected', log: 'reject' });
    expect(transition('active', { kind: 'reject' }).ok).toBe(false);
    expect(ok('active', { kind: 'remove' })).toMatchObject({ next: 'removed', log: 'remove' });
    expect(ok('pending', { kind: 'remove' })).toMatchObject({ next: 'removed', log: 'remove' });
    expect(transition('left', { kind: 'remove' }).ok).toBe(false);
  });

  it('a member can leave from active or pending; leaving is idempotent', () => {
    expect(ok('active', { kind: 'leave' })).toMatchObject({ next: 'left', log: 'leave' });
    expect(ok('pending', { kind: 'leave' })).toMatchObject({ next: 'left', log: 'leave' });
    expect(ok('left', { kind: 'leave' }).changed).toBe(false);
    expect(transition('removed', { kind: 'leave' }).ok).toBe(false);
  });

  it('every action on an unknown address except join is MEMBER_NOT_FOUND', () => {
    for (const kind of ['approve', 'reject', 'remove', 'leave'] as const) {
      expect(transition(null, { kind })).toMatchObject({ ok: false, code: 'MEMBER_NOT_FOUND' });
    }
  });

  it('only transitions into active are logged as join, and no transition logs into pending', () => {
    const actions = [
      { kind: 'join', secretAccepted: true },
      { kind: 'join', secretAccepted: false },
      { kind: 'approve' },
      { kind: 'reject' },
      { kind: 'remove' },
      { kind: 'leave' },
    ] as const;
    for (const current of [null, ...memberStatuses]) {
      for (const action of actions) {
        const t = transition(current, action);
        if (!t.ok || !t.changed) continue;
        if (t.next === 'active') expect(t.log).toBe('join');
        if (t.next === 'pending') expect(t.log).toBeNull();
        if (t.log === 'join') expect(t.next).toBe('active');
      }
    }
  });
});
