/**
 * A simulated chain and membership database for the chain-order property tests: random
 * interleavings of blocks (revenue transfers, admin fee changes), joins, leaves and removals,
 * and watcher ticks that see only confirmed blocks (some ticks fail, as in an RPC outage).
 * `runWatcher` drives the books the way the revenue watcher does, through `stepBooks`;
 * `chainOrderModel` applies the same history the simple way, everything sorted in chain order,
 * to the loop-over-every-member reference model.
 */
import fc from 'fast-check';

import { stepBooks } from './books-step.ts';
import type { ChainEntry } from './chain-order.ts';
import type { AccountingEvent } from './events.ts';
import { FEE_SCALE } from './inputs.ts';
import type { MemberFact, MembershipLogEntry } from './membership-changes.ts';
import { MonoplasmaAccounting } from './monoplasma-accounting.ts';
import { ReferenceAccounting } from './reference-model.ts';

export const WORLD_MEMBERS = [
  '0x1111111111111111111111111111111111111111',
  '0x2222222222222222222222222222222222222222',
  '0x3333333333333333333333333333333333333333',
  '0x4444444444444444444444444444444444444444',
];
/**
 * Activity is not what these tests vary: each member reports once, at their first join, and the
 * window never ends, so a member is active from every join (also a re-join) until they leave.
 */
const WINDOW = 10 ** 9;
const START_BLOCK = 1;

type ChainItem = { kind: 'revenue'; amount: bigint } | { kind: 'fee'; fraction: bigint };
export type Happening =
  | { kind: 'block'; dt: number; items: ChainItem[] }
  | { kind: 'member'; dt: number; member: number; action: 'join' | 'leave' | 'remove' }
  | { kind: 'tick'; dt: number; confirmations: number; fails: boolean; restore: boolean };

export interface Block {
  number: number;
  time: number;
  entries: ChainEntry[];
}

export interface World {
  blocks: Block[];
  log: MembershipLogEntry[];
  ticks: {
    time: number;
    confirmations: number;
    fails: boolean;
    restore: boolean;
    logLength: number;
  }[];
  minAge: number;
}

const item: fc.Arbitrary<ChainItem> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .bigInt({ min: 1n, max: 10n ** 6n })
      .map((amount) => ({ kind: 'revenue' as const, amount })),
  },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        fc.constantFrom(0n, FEE_SCALE / 10n, FEE_SCALE / 2n),
        fc.bigInt({ min: 0n, max: FEE_SCALE }),
      )
      .map((fraction) => ({ kind: 'fee' as const, fraction })),
  },
);
// Mostly 1–5 s apart; 0 gives equal timestamps (blocks in one second, changes in a block's second).
const dt = fc.oneof(
  { weight: 1, arbitrary: fc.constant(0) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 5 }) },
);

const happening: fc.Arbitrary<Happening> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('block' as const),
      dt,
      items: fc.array(item, { maxLength: 3 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('member' as const),
      dt,
      member: fc.nat(WORLD_MEMBERS.length - 1),
      action: fc.constantFrom(
        'join' as const,
        'join' as const,
        'leave' as const,
        'remove' as const,
      ),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('tick' as const),
      dt,
      confirmations: fc.integer({ min: 1, max: 3 }),
      fails: fc.boolean(), // the RPC node is down for half of the ticks
      restore: fc.boolean(),
    }),
  },
);

export const worlds: fc.Arbitrary<World> = fc
  .record({
    fee: fc.bigInt({ min: 0n, max: FEE_SCALE }),
    minAge: fc.constantFrom(0, 0, 3, 10),
    happenings: fc.array(happening, { maxLength: 60 }),
  })
  .map(({ fee, minAge, happenings }) => buildWorld(fee, minAge, happenings));

/** Turns happenings into a timeline; membership actions the rules refuse are left out. */
export function buildWorld(
  openingFee: bigint,
  minAge: number,
  happenings: readonly Happening[],
): World {
  let now = 1000;
  // Block 1 is the start block: the constructor's fee change.
  const blocks: Block[] = [
    {
      number: START_BLOCK,
      time: now,
      entries: [entry(START_BLOCK, now, 0, { kind: 'fee', fraction: openingFee })],
    },
  ];
  const log: MembershipLogEntry[] = [];
  const ticks: World['ticks'] = [];
  const active = new Set<string>();
  for (const h of happenings) {
    now += h.dt;
    if (h.kind === 'block') {
      const number = blocks.length + START_BLOCK;
      blocks.push({
        number,
        time: now,
        entries: h.items.map((it, i) => entry(number, now, i, it)),
      });
    } else if (h.kind === 'member') {
      const member = WORLD_MEMBERS[h.member]!;
      if ((h.action === 'join') === active.has(member)) continue; // refused by the membership rules
      if (h.action === 'join') active.add(member);
      else active.delete(member);
      log.push({ seq: log.length + 1, time: now, type: h.action, member });
    } else {
      const { confirmations, fails, restore } = h;
      ticks.push({ time: now, confirmations, fails, restore, logLength: log.length });
    }
  }
  // Time passes, a few empty blocks confirm everything, and a last tick catches up.
  for (let i = 0; i < 4; i++)
    blocks.push({ number: blocks.length + START_BLOCK, time: now + 1 + i, entries: [] });
  ticks.push({
    time: now + 10,
    confirmations: 1,
    fails: false,
    restore: false,
    logLength: log.length,
  });
  return { blocks, log, ticks, minAge };
}

function entry(
  blockNumber: number,
  blockTime: number,
  logIndex: number,
  it: ChainItem,
): ChainEntry {
  const id = `0x${blockNumber.toString(16).padStart(64, '0')}:${logIndex}`;
  return {
    blockNumber,
    logIndex,
    blockTime,
    event:
      it.kind === 'revenue'
        ? { type: 'revenue-received', id, amount: it.amount }
        : { type: 'admin-fee-set', fraction: it.fraction, id },
  };
}

/** The members table as the union holds it after the first `length` log entries. */
function membersTable(log: readonly MembershipLogEntry[]): MemberFact[] {
  const rows = new Map<string, MemberFact>();
  for (const e of log) {
    const row = rows.get(e.member);
    rows.set(
      e.member,
      e.type === 'join'
        ? {
            address: e.member,
            status: 'active',
            joinedAt: e.time,
            statusChangedAt: e.time,
            activeFrom: row?.activeFrom ?? e.time,
          }
        : { ...row!, status: e.type === 'leave' ? 'left' : 'removed', statusChangedAt: e.time },
    );
  }
  return [...rows.values()].sort((a, b) => (a.address < b.address ? -1 : 1));
}

/** The books as the revenue watcher keeps them, tick by tick. */
export function runWatcher(world: World): MonoplasmaAccounting {
  let books = new MonoplasmaAccounting({ minMembershipAgeSeconds: world.minAge });
  let cursor = START_BLOCK - 1;
  let position = 0;
  for (const tick of world.ticks) {
    if (tick.fails) continue; // the RPC node did not answer: nothing happens this tick
    if (tick.restore)
      books = MonoplasmaAccounting.fromJSON(JSON.parse(JSON.stringify(books.toJSON())));
    const head = world.blocks.filter((b) => b.time <= tick.time).at(-1)!.number;
    const target = head - (tick.confirmations - 1);
    const confirmed = world.blocks.filter((b) => b.number > cursor && b.number <= target);
    const step = stepBooks(books, {
      chain: confirmed.flatMap((b) => b.entries),
      horizon:
        target >= START_BLOCK ? world.blocks[target - START_BLOCK]!.time : Number.NEGATIVE_INFINITY,
      cursorBlock: cursor,
      ...(cursor < START_BLOCK && target >= START_BLOCK ? { openingBlock: START_BLOCK } : {}),
      log: world.log.slice(position, tick.logLength),
      members: membersTable(world.log.slice(0, tick.logLength)),
      activityWindowSeconds: WINDOW,
    });
    cursor = Math.max(cursor, target);
    position = step.consumedThroughSeq ?? position;
  }
  return books;
}

/**
 * The simple model: every chain event and membership change sorted by chain order (a change at
 * second t after the blocks stamped t or earlier), applied one by one, each join with its report.
 */
export function chainOrderModel(world: World): ReferenceAccounting {
  type Keyed = { key: [number, number, number]; events: AccountingEvent[] };
  const keyed: Keyed[] = [];
  for (const b of world.blocks) {
    for (const e of b.entries) {
      // The start block opens the books before anything else.
      const time = b.number === START_BLOCK ? Number.NEGATIVE_INFINITY : b.time;
      keyed.push({
        key: [time, b.number, e.logIndex],
        events: [{ ...e.event, at: b.time }],
      });
    }
  }
  for (const e of world.log) {
    const address = e.member;
    const events: AccountingEvent[] =
      e.type === 'join'
        ? [
            { type: 'member-joined', address, at: e.time },
            { type: 'member-activity-changed', address, active: true, at: e.time },
          ]
        : [{ type: e.type === 'leave' ? 'member-left' : 'member-removed', address, at: e.time }];
    // After every block stamped e.time or earlier: between that block and the next.
    keyed.push({ key: [e.time, Number.MAX_SAFE_INTEGER, e.seq], events });
  }
  keyed.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2]);
  const model = new ReferenceAccounting(0n, world.minAge);
  for (const k of keyed) for (const event of k.events) model.apply(event);
  return model;
}
