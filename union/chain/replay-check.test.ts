import { describe, expect, it } from 'vitest';

import type { PublishedEvent } from '../monoplasma/event-log.ts';
import {
  checkEventLog,
  SnapshotReplayer,
  type ChainTransfer,
  type MembershipEntry,
} from './replay-check.ts';

const A = `0x${'aa'.repeat(20)}`;
const ADMIN = `0x${'ad'.repeat(20)}`;
const TX = `0x${'01'.repeat(32)}`;

const transfers: ChainTransfer[] = [{ txHash: TX, logIndex: 0, blockNumber: 10, amount: 1000n }];
const membership: MembershipEntry[] = [
  { seq: 1, at: new Date(5_000).toISOString(), type: 'join', member: A },
];
const events: PublishedEvent[] = [
  { seq: 1, kind: 'member-joined', blockNumber: 9, address: A, at: 5 },
  { seq: 2, kind: 'member-activity-changed', blockNumber: 9, address: A, active: true, at: 5 },
  {
    seq: 4, // seq gaps are normal (a rolled-back transaction)
    kind: 'revenue-received',
    blockNumber: 10,
    id: `${TX}:0`,
    txHash: TX,
    logIndex: 0,
    amount: '1000',
    at: 6,
  },
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
