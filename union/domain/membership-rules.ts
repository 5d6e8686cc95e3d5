/**
 * Who may become what (DESIGN §3, §5), as a pure transition table. Routes and the membership
 * service ask this module; it never touches the database.
 *
 * - join: nobody/left → active with an accepted app secret (and auto-join on), else pending;
 *   pending → active once a valid secret is presented; active, removed, rejected → unchanged
 *   (joining again only answers the current status).
 * - approve: pending, rejected, removed → active; active → unchanged; left → refused (they
 *   left by choice and must ask again).
 * - reject: pending → rejected; rejected → unchanged; anything else refused.
 * - remove: active or pending → removed; removed → unchanged; anything else refused.
 * - leave (signed by the member): active or pending → left; left → unchanged; else refused.
 */
import type { LogType } from '../../extension/protocol/membership-log.ts';

export const memberStatuses = ['pending', 'active', 'left', 'removed', 'rejected'] as const;
export type MemberStatus = (typeof memberStatuses)[number];

/** Membership log entry types: every status change except a new pending request. */
export type { LogType };

export type MemberAction =
  | { kind: 'join'; secretAccepted: boolean }
  | { kind: 'approve' }
  | { kind: 'reject' }
  | { kind: 'remove' }
  | { kind: 'leave' };

export type Transition =
  | { ok: true; next: MemberStatus; changed: boolean; log: LogType | null }
  | { ok: false; code: 'MEMBER_NOT_FOUND' | 'MEMBER_WRONG_STATUS'; message: string };

const stay = (status: MemberStatus): Transition => ({
  ok: true,
  next: status,
  changed: false,
  log: null,
});

const to = (next: MemberStatus, log: LogType | null): Transition => ({
  ok: true,
  next,
  changed: true,
  log,
});

const refuse = (current: MemberStatus, action: string): Transition => ({
  ok: false,
  code: 'MEMBER_WRONG_STATUS',
  message: `A member who is ${current} cannot be ${action}.`,
});

/** Whether presenting an app secret could change this member's status (so a use is spent). */
export function secretCouldActivate(current: MemberStatus | null): boolean {
  return current === null || current === 'left' || current === 'pending';
}

export function transition(current: MemberStatus | null, action: MemberAction): Transition {
  if (action.kind === 'join') {
    if (secretCouldActivate(current)) {
      if (action.secretAccepted) return to('active', 'join');
      return current === 'pending' ? stay('pending') : to('pending', null);
    }
    return stay(current!);
  }
  if (current === null) {
    return { ok: false, code: 'MEMBER_NOT_FOUND', message: 'No such member.' };
  }
  switch (action.kind) {
    case 'approve':
      if (current === 'active') return stay(current);
      if (current === 'left') return refuse(current, 'approved (they must ask to join again)');
      return to('active', 'join');
    case 'reject':
      if (current === 'rejected') return stay(current);
      if (current !== 'pending') return refuse(current, 'rejected');
      return to('rejected', 'reject');
    case 'remove':
      if (current === 'removed') return stay(current);
      if (current !== 'active' && current !== 'pending') return refuse(current, 'removed');
      return to('removed', 'remove');
    case 'leave':
      if (current === 'left') return stay(current);
      if (current !== 'active' && current !== 'pending') return refuse(current, 'leaving');
      return to('left', 'leave');
  }
}
