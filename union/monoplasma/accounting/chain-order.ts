/**
 * The order in which the books consume what happened (docs/monoplasma.md §1, "Order"):
 *
 *  - chain events (revenue transfers and admin fee changes) in chain order, `(block, logIndex)`,
 *    each at its block's timestamp;
 *  - membership changes (joins, leaves, removals, activity), which the union records off-chain
 *    with its own clock, placed by time: a change recorded during second `t` comes after every
 *    chain event of a block stamped `t` or earlier and before every chain event of a block
 *    stamped after `t` (a block stamped `t` was built by then; ties go to the block). A change
 *    is therefore applied only once a confirmed block is stamped after it;
 *  - the books open with the start block: its chain events (the DataUnion constructor's fee)
 *    come before any membership change.
 *
 * So each revenue is shared with the fee and the member set that held at its block. Pure: the
 * revenue watcher reads the chain and the database and hands plain values in.
 */
import type { AccountingEvent } from './events.ts';

/** An accounting event without its time: the order decides `at`. */
export type Untimed<E> = E extends unknown ? Omit<E, 'at'> : never;

type ChainEvent = Extract<AccountingEvent, { type: 'revenue-received' | 'admin-fee-set' }>;
type MemberEvent = Exclude<AccountingEvent, ChainEvent>;

/** A revenue transfer or fee change, at its position on chain. */
export interface ChainEntry {
  readonly blockNumber: number;
  readonly logIndex: number;
  /** The block's timestamp, unix seconds. */
  readonly blockTime: number;
  readonly event: Untimed<ChainEvent>;
}

/** A membership change as the union recorded it. */
export interface MembershipChange {
  /** Unix seconds (the union's clock, rounded down). */
  readonly time: number;
  readonly event: Untimed<MemberEvent>;
}

export interface OrderedEvent {
  readonly event: AccountingEvent;
  /** Revenue and fee changes: their block. Membership: the block of the chain event before it in this batch, else `cursorBlock`. */
  readonly blockNumber: number;
}

export interface MergeInput {
  /** Chain events of the blocks being read, in any order. */
  readonly chain: readonly ChainEntry[];
  /** Membership changes in the order recorded (times non-decreasing, see membership-changes.ts). */
  readonly changes: readonly MembershipChange[];
  /** The books' clock: no event is timed before it (a late change is applied at the clock). */
  readonly clock: number;
  /** The last block already in the books. */
  readonly cursorBlock: number;
  /** Set when the books open in this batch: chain events up to this block come first. */
  readonly openingBlock?: number;
}

const byChainPosition = (a: ChainEntry, b: ChainEntry) =>
  a.blockNumber - b.blockNumber || a.logIndex - b.logIndex;

function timed(event: Untimed<AccountingEvent>, at: number): AccountingEvent {
  return { ...event, at };
}

/** Every chain event and membership change of one batch, in the order the books apply them. */
export function mergeInChainOrder(input: MergeInput): OrderedEvent[] {
  const chain = [...input.chain].sort(byChainPosition);
  const out: OrderedEvent[] = [];
  let clock = input.clock;
  let block = input.cursorBlock;
  let next = 0;
  const emit = (event: Untimed<AccountingEvent>, at: number, blockNumber: number) => {
    clock = Math.max(clock, at);
    out.push({ event: timed(event, clock), blockNumber });
  };
  const changesBefore = (time: number) => {
    for (; next < input.changes.length && input.changes[next]!.time < time; next++) {
      const change = input.changes[next]!;
      emit(change.event, change.time, block);
    }
  };
  for (const entry of chain) {
    const opening = input.openingBlock !== undefined && entry.blockNumber <= input.openingBlock;
    if (!opening) changesBefore(entry.blockTime);
    emit(entry.event, entry.blockTime, entry.blockNumber);
    block = entry.blockNumber;
  }
  changesBefore(Number.POSITIVE_INFINITY);
  return out;
}
