import { describe, expect, it } from 'vitest';

import { mergeInChainOrder, type ChainEntry } from './chain-order.ts';
import {
  membershipChanges,
  type BooksMember,
  type MemberFact,
  type MembershipInput,
} from './membership-changes.ts';

const A = `0x${'aa'.repeat(20)}`;
const B = `0x${'bb'.repeat(20)}`;
const WEEK = 7 * 86_400;

const row = (address: string, fields: Partial<MemberFact> = {}): MemberFact => ({
  address,
  status: 'active',
  joinedAt: 100,
  statusChangedAt: 100,
  activeFrom: null,
  ...fields,
});

function changes(input: Partial<MembershipInput>, books: Record<string, BooksMember> = {}) {
  const out = membershipChanges({
    books: (address) => books[address],
    clock: 0,
    horizon: 1000,
    activityWindowSeconds: WEEK,
    log: [],
    members: [],
    ...input,
  });
  return {
    ...out,
    list: out.changes.map(
      (c) => `${c.time} ${c.event.type}${'active' in c.event ? `=${String(c.event.active)}` : ''}`,
    ),
  };
}

describe('membership changes for the books', () => {
  it('take log entries before the horizon, and stop at the first one at or after it', () => {
    const out = changes({
      log: [
        { seq: 7, time: 500, type: 'join', member: A },
        { seq: 8, time: 1000, type: 'join', member: B }, // stamped with the horizon block: waits
        { seq: 9, time: 900, type: 'leave', member: A }, // after a waiting entry: waits too
      ],
      members: [row(A, { joinedAt: 500 }), row(B, { joinedAt: 1000 })],
    });
    expect(out.list).toEqual(['500 member-joined']);
    expect(out.consumedThroughSeq).toBe(7);
  });

  it('make a member active from when its report counts, and inactive a window later', () => {
    const out = changes(
      { clock: 200, horizon: 300 + WEEK + 1, members: [row(A, { activeFrom: 300 })] },
      { [A]: { status: 'member', active: false } },
    );
    expect(out.list).toEqual([
      '300 member-activity-changed=true',
      `${300 + WEEK} member-activity-changed=false`,
    ]);
  });

  it('keep an active member active while its latest report counts only after the horizon', () => {
    const books = { [A]: { status: 'member', active: true } } as const;
    expect(changes({ clock: 200, members: [row(A, { activeFrom: 5000 })] }, books).list).toEqual(
      [],
    );
    // …and make an inactive one wait for it.
    const idle = { [A]: { status: 'member', active: false } } as const;
    expect(changes({ clock: 200, members: [row(A, { activeFrom: 5000 })] }, idle).list).toEqual([]);
  });

  it('bring a member without a log entry in line with its row, once the row’s time has passed', () => {
    expect(changes({ members: [row(A, { joinedAt: 400, activeFrom: 400 })] }).list).toEqual([
      '400 member-joined',
      '400 member-activity-changed=true',
    ]);
    expect(changes({ members: [row(A, { joinedAt: 1000 })] }).list).toEqual([]);
    const left = row(A, { status: 'left', statusChangedAt: 600 });
    expect(changes({ members: [left] }, { [A]: { status: 'member', active: false } }).list).toEqual(
      ['600 member-left'],
    );
  });

  it('skip a log entry the books already hold, and time a late change at the clock', () => {
    const out = changes(
      { clock: 700, log: [{ seq: 1, time: 500, type: 'join', member: A }], members: [row(A)] },
      { [A]: { status: 'member', active: false } },
    );
    expect(out.list).toEqual([]);
    expect(out.consumedThroughSeq).toBe(1);
    const late = changes({ clock: 700, log: [{ seq: 2, time: 500, type: 'join', member: B }] });
    expect(late.list).toEqual(['700 member-joined']);
  });
});

describe('the merge in chain order', () => {
  const revenue = (blockNumber: number, blockTime: number): ChainEntry => ({
    blockNumber,
    logIndex: 0,
    blockTime,
    event: { type: 'revenue-received', id: `0x${blockNumber}:0`, amount: 1n },
  });
  const join = (time: number) => ({
    time,
    event: { type: 'member-joined' as const, address: A },
  });
  const order = (input: Parameters<typeof mergeInChainOrder>[0]) =>
    mergeInChainOrder(input).map((o) => `${o.event.type}@${o.event.at}#${o.blockNumber}`);

  it('put a change after every block stamped in its second or earlier, before later ones', () => {
    expect(
      order({
        chain: [revenue(6, 20), revenue(5, 10)],
        changes: [join(10), join(15)],
        clock: 0,
        cursorBlock: 4,
      }),
    ).toEqual([
      'revenue-received@10#5',
      'member-joined@10#5',
      'member-joined@15#5',
      'revenue-received@20#6',
    ]);
  });

  it('open the books with the start block, whatever the changes’ times', () => {
    expect(
      order({
        chain: [revenue(3, 50)],
        changes: [join(40)],
        clock: 0,
        cursorBlock: 2,
        openingBlock: 3,
      }),
    ).toEqual(['revenue-received@50#3', 'member-joined@50#3']);
  });
});
