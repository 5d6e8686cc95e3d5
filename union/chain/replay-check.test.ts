import { describe, expect, it } from 'vitest';

import { MonoplasmaAccounting } from '../monoplasma/accounting.ts';
import type { PublishedEvent } from '../monoplasma/event-log.ts';
import {
  checkEventLog,
  checkNewEvents,
  MembershipMatcher,
  SnapshotReplayer,
  type ChainFeeChange,
  type ChainTransfer,
  type MembershipEntry,
} from './replay-check.ts';

const A = `0x${'aa'.repeat(20)}`;
const ADMIN = `0x${'ad'.repeat(20)}`;
const TX = `0x${'01'.repeat(32)}`;

const transfers: ChainTransfer[] = [{ txHash: TX, logIndex: 0, blockNumber: 10, amount: 1000n }];
/** The one revenue transfer above (TX, log 0, block 10), as the published log has it. */
const revenueEvent = (seq: number, at: number): PublishedEvent => ({
  seq,
  kind: 'revenue-received',
  blockNumber: 10,
  id: `${TX}:0`,
  txHash: TX,
  logIndex: 0,
  amount: '1000',
  at,
});
const membership: MembershipEntry[] = [
  { seq: 1, at: new Date(5_000).toISOString(), type: 'join', member: A },
];
const events: PublishedEvent[] = [
  { seq: 1, kind: 'member-joined', blockNumber: 9, address: A, at: 5 },
  { seq: 2, kind: 'member-activity-changed', blockNumber: 9, address: A, active: true, at: 5 },
  revenueEvent(4, 6), // seq gaps are normal (a rolled-back transaction)
];
const honest = {
  blockNumber: 10,
  eventSeq: 4,
  admin: ADMIN,
  adminTotal: '0',
  totalRevenue: '1000',
  members: [
    { address: A, total: '1000' },
    { address: ADMIN, total: '0' },
  ],
};

describe('replay checks', () => {
  it('accept an honest log and a snapshot that follows from it', () => {
    expect(checkEventLog(events, transfers, membership)).toBeNull();
    expect(new SnapshotReplayer(events, transfers, 0).check(honest)).toBeNull();
  });

  it('name a join that the membership log does not hold, or holds only later', () => {
    expect(checkEventLog(events, transfers, [])).toBe(
      `Event 1 (member-joined ${A} at 5) has no matching “join” entry in the published membership log.`,
    );
    const late = [{ ...membership[0]!, at: new Date(6_000).toISOString() }];
    expect(checkEventLog(events, transfers, late)).toMatch(/^Event 1 \(member-joined/);
  });

  it('name an invented revenue event', () => {
    expect(checkEventLog(events, [], membership)).toBe(
      `Event 4 credits revenue ${TX}:0 of 1000, but no such token transfer into the DataUnion exists on chain.`,
    );
  });

  it('name a leaf that replay does not give, and a snapshot that hides its event seq', () => {
    const extra = {
      ...honest,
      members: [...honest.members, { address: ADMIN.replace('ad', 'bb'), total: '0' }],
    };
    expect(new SnapshotReplayer(events, transfers, 0).check(extra)).toMatch(
      /^Root of block 10: the published state lists 0xbb.* with 0, but replaying events up to 4 gives no such leaf\.$/,
    );
    const { eventSeq: _omitted, ...hidden } = honest;
    expect(new SnapshotReplayer(events, transfers, 0).check(hidden)).toBe(
      'Root of block 10: the published state does not say which events it includes (eventSeq).',
    );
  });

  it('name revenue taken from a block after the snapshot', () => {
    const early = { ...honest, blockNumber: 9 };
    expect(new SnapshotReplayer(events, transfers, 0).check(early)).toBe(
      'Root of block 9: it includes event 4, revenue from the later block 10.',
    );
  });
});

const FEE_TX = `0x${'0f'.repeat(32)}`;
const TEN_PERCENT = 10n ** 17n;
const HALF = 5n * 10n ** 17n;

/** 10 % from block 2, 50 % from block 12: the revenue of block 10 pays 10 %. */
const fees: ChainFeeChange[] = [
  { txHash: FEE_TX, logIndex: 0, blockNumber: 2, fraction: TEN_PERCENT },
  { txHash: FEE_TX.replace('0f', '1f'), logIndex: 1, blockNumber: 12, fraction: HALF },
];

const feeEvent = (seq: number, change: ChainFeeChange, at: number): PublishedEvent => ({
  seq,
  kind: 'admin-fee-set',
  blockNumber: change.blockNumber,
  fraction: change.fraction.toString(),
  id: `${change.txHash}:${change.logIndex}`,
  txHash: change.txHash,
  logIndex: change.logIndex,
  at,
});
const feeRevenue = revenueEvent(5, 10);
const before: PublishedEvent[] = [
  feeEvent(1, fees[0]!, 1),
  { seq: 2, kind: 'member-joined', blockNumber: 2, address: A, at: 5 },
  { seq: 3, kind: 'member-activity-changed', blockNumber: 2, address: A, active: true, at: 5 },
];
const snapshot = (adminTotal: bigint) => ({
  blockNumber: 12,
  eventSeq: 6,
  admin: ADMIN,
  adminTotal: adminTotal.toString(),
  totalRevenue: '1000',
  members: [
    { address: A, total: (1000n - adminTotal).toString() },
    { address: ADMIN, total: adminTotal.toString() },
  ],
});

// Issue 16 item 5: a replayed revenue must be shared with the fee the DataUnion had at its
// position on chain, and a fee change in the log must be the chain's.
describe('replay checks of the admin fee', () => {
  it('accept revenue shared with the fee of its block, the later change after it', () => {
    const events = [...before, feeRevenue, feeEvent(6, fees[1]!, 12)];
    expect(checkEventLog(events, transfers, membership, fees)).toBeNull();
    expect(new SnapshotReplayer(events, transfers, 0, fees).check(snapshot(100n))).toBeNull();
  });

  it('name revenue shared with a fee the DataUnion set only in a later block', () => {
    // What the watcher did before issue 16: the fee at the head, applied to earlier revenue.
    const events = [...before, feeEvent(4, fees[1]!, 9), { ...feeRevenue, seq: 6 }];
    expect(checkEventLog(events, transfers, membership, fees)).toBeNull();
    expect(new SnapshotReplayer(events, transfers, 0, fees).check(snapshot(500n))).toBe(
      `Root of block 12: event 6 (revenue ${TX}:0 in block 10) is shared with an admin fee of ${HALF}, but the DataUnion's fee there was ${TEN_PERCENT}.`,
    );
  });

  it('name a fee change the chain never logged, or logged with another fraction', () => {
    const invented = { ...feeEvent(1, fees[0]!, 1), fraction: HALF.toString() };
    expect(checkEventLog([invented], transfers, membership, fees)).toBe(
      `Event 1 sets the admin fee to ${HALF} from ${FEE_TX}:0, but the DataUnion logged no such fee change there.`,
    );
    expect(checkEventLog([feeEvent(1, fees[0]!, 1)], transfers, membership, [])).toMatch(
      /^Event 1 sets the admin fee to 100000000000000000 from 0x(0f)+:0, but the DataUnion logged no such fee change there\.$/,
    );
  });
});

// Issue 19: the own check resumes from the position and the unmatched membership entries of the
// last clean run; the verdicts are those of a check from the start.
describe('replay checks resumed from a checkpoint', () => {
  const B = `0x${'bb'.repeat(20)}`;
  const joinB = { seq: 2, at: new Date(7_000).toISOString(), type: 'join', member: B };
  const later: PublishedEvent[] = [
    { seq: 5, kind: 'member-joined', blockNumber: 11, address: B, at: 7 },
    { seq: 6, kind: 'member-left', blockNumber: 11, address: A, at: 8 },
  ];

  it('match a later event with an entry the earlier run left pending, and name a missing one', () => {
    const matcher = new MembershipMatcher().add(membership);
    expect(checkNewEvents(events, transfers, matcher, [], 0)).toBeNull();
    const saved = MembershipMatcher.fromJSON(
      JSON.parse(JSON.stringify(matcher.add([joinB]).toJSON())) as ReturnType<
        MembershipMatcher['toJSON']
      >,
    );
    expect(saved.after).toBe(2);
    expect(checkNewEvents(later, transfers, saved, [], 4)).toBe(
      `Event 6 (member-left ${A} at 8) has no matching “leave” entry in the published membership log.`,
    );
    expect(checkNewEvents(later.slice(0, 1), transfers, saved, [], 5)).toBe(
      'Event 5 comes after event 5: the log is out of order.',
    );
  });

  it('give the same totals from a saved position as from the first event', () => {
    const all = [...events, ...later.slice(0, 1)];
    const next = {
      ...honest,
      blockNumber: 11,
      eventSeq: 5,
      members: [...honest.members, { address: B, total: '0' }],
    };
    const full = new SnapshotReplayer(all, transfers, 0);
    expect(full.check(honest)).toBeNull();
    // A saved position, restored: a replayer moves the accounting it is given on.
    const saved = { eventSeq: full.position().eventSeq, json: full.position().accounting.toJSON() };
    const position = () => ({
      eventSeq: saved.eventSeq,
      accounting: MonoplasmaAccounting.fromJSON(saved.json),
    });
    expect(full.check(next)).toBeNull();
    const resumed = new SnapshotReplayer(later.slice(0, 1), transfers, 0, [], position());
    expect(resumed.check(next)).toBeNull();
    expect(resumed.position().eventSeq).toBe(full.position().eventSeq);
    expect(resumed.position().accounting.toJSON()).toEqual(full.position().accounting.toJSON());
    const shifted = new SnapshotReplayer(later.slice(0, 1), transfers, 0, [], position());
    expect(
      shifted.check({ ...next, members: [...honest.members, { address: B, total: '1' }] }),
    ).toMatch(/^Root of block 11: replaying events up to 5 gives 0xb+ a total of 0/);
    expect(new SnapshotReplayer([], transfers, 0, [], position()).check(next)).toBe(
      'Root of block 11: it includes events up to 5, but the published log ends at 4.',
    );
  });
});
