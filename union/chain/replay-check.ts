/**
 * Replay mode of `union validate`, the pure part: given the published accounting input log,
 * the published membership log and the token transfers into the DataUnion (all plain values the
 * validator fetched), it checks that
 *  - every revenue event is a real transfer (same txHash, logIndex, amount and block), and every
 *    fee change that names an `AdminFeeChanged` log is that log (same fraction and block),
 *  - every join / leave / removal is backed by the membership log,
 *  - every transfer up to a snapshot's block is in the events that snapshot includes, and
 *  - each revenue is shared with the admin fee the DataUnion had at its position on chain
 *    (chain order, docs/monoplasma.md §1), and
 *  - replaying those events through the same `MonoplasmaAccounting` gives exactly the published
 *    totals (members, admin fee, revenue).
 * Each check answers null or the first problem as a sentence.
 */
import {
  AccountingError,
  MonoplasmaAccounting,
  treeEntries,
  type AccountingEvent,
} from '../monoplasma/accounting.ts';
import type { MemberTotal } from '../monoplasma/accounting/monoplasma-accounting.ts';
import { eventFromPublished, type PublishedEvent } from '../monoplasma/event-log.ts';
import { compareLeaves } from './leaf-compare.ts';

export interface ChainTransfer {
  txHash: string;
  logIndex: number;
  blockNumber: number;
  amount: bigint;
}

/** An `AdminFeeChanged` log of the DataUnion. */
export interface ChainFeeChange {
  txHash: string;
  logIndex: number;
  blockNumber: number;
  fraction: bigint;
}

export interface MembershipEntry {
  seq: number;
  /** ISO time. */
  at: string;
  type: string;
  member: string;
}

/**
 * A replay's state after the events up to `eventSeq`. Handed to a replayer, the accounting is
 * its to move on: after a check that failed it is past the last good position.
 */
export interface ReplayPosition {
  eventSeq: number;
  accounting: MonoplasmaAccounting;
}

export interface ReplayedState {
  blockNumber: number;
  eventSeq?: number | null;
  admin?: string;
  adminTotal?: string;
  totalRevenue?: string;
  members: { address: string; total: string }[];
}

const transferKey = (txHash: string, logIndex: number) => `${txHash.toLowerCase()}:${logIndex}`;
const membershipType = {
  'member-joined': 'join',
  'member-left': 'leave',
  'member-removed': 'remove',
} as const;

/**
 * Membership-log entries not yet matched by an accounting event, per member and entry type, in
 * log order: the n-th join (leave, removal) event of a member is matched with the n-th such
 * entry, which must not be later than the event. Entries are added page by page, so a check can
 * resume after the last entry it read (`after`).
 */
export class MembershipMatcher {
  /** The last membership-log seq added. */
  after = 0;
  private readonly pending = new Map<string, number[]>();

  static fromJSON(json: MembershipMatcherJson): MembershipMatcher {
    const matcher = new MembershipMatcher();
    matcher.after = json.after;
    for (const [key, times] of json.pending) matcher.pending.set(key, [...times]);
    return matcher;
  }

  toJSON(): MembershipMatcherJson {
    return { after: this.after, pending: Array.from(this.pending, ([k, t]) => [k, [...t]]) };
  }

  add(entries: readonly MembershipEntry[]): this {
    for (const entry of entries) {
      if (entry.seq <= this.after) continue;
      const key = `${entry.member.toLowerCase()} ${entry.type}`;
      const times = this.pending.get(key) ?? [];
      times.push(Math.floor(Date.parse(entry.at) / 1000));
      this.pending.set(key, times);
      this.after = entry.seq;
    }
    return this;
  }

  /** Matches the member's next entry of that type with an event at `at`; false if none fits. */
  take(member: string, type: string, at: number): boolean {
    const key = `${member.toLowerCase()} ${type}`;
    const times = this.pending.get(key);
    const time = times?.shift();
    if (times?.length === 0) this.pending.delete(key);
    return time !== undefined && time <= at;
  }
}

export interface MembershipMatcherJson {
  after: number;
  pending: [string, number[]][];
}

/** Revenue events against the chain, membership events against the membership log. */
export function checkEventLog(
  events: readonly PublishedEvent[],
  transfers: readonly ChainTransfer[],
  membership: readonly MembershipEntry[],
  feeChanges: readonly ChainFeeChange[] = [],
): string | null {
  return checkNewEvents(events, transfers, new MembershipMatcher().add(membership), feeChanges, 0);
}

/**
 * checkEventLog for the events after `previousSeq`, with the membership entries the earlier
 * events left unmatched in `matcher` (which it advances).
 */
export function checkNewEvents(
  events: readonly PublishedEvent[],
  transfers: readonly ChainTransfer[],
  matcher: MembershipMatcher,
  feeChanges: readonly ChainFeeChange[],
  previousSeq: number,
): string | null {
  const onChain = new Map(transfers.map((t) => [transferKey(t.txHash, t.logIndex), t]));
  const feesOnChain = new Map(feeChanges.map((f) => [transferKey(f.txHash, f.logIndex), f]));
  let lastSeq = previousSeq;

  for (const published of events) {
    if (published.seq <= lastSeq) {
      return `Event ${published.seq} comes after event ${lastSeq}: the log is out of order.`;
    }
    lastSeq = published.seq;
    let event: AccountingEvent;
    try {
      event = eventFromPublished(published);
    } catch {
      return `Event ${published.seq} (${published.kind}) is malformed.`;
    }
    if (event.type === 'revenue-received') {
      const { txHash, logIndex } = published;
      if (
        txHash === undefined ||
        logIndex === undefined ||
        event.id !== transferKey(txHash, logIndex)
      ) {
        return `Event ${published.seq} (revenue ${event.id}) does not name its transfer (txHash, logIndex).`;
      }
      const transfer = onChain.get(event.id);
      if (!transfer) {
        return `Event ${published.seq} credits revenue ${event.id} of ${event.amount}, but no such token transfer into the DataUnion exists on chain.`;
      }
      if (transfer.amount !== event.amount) {
        return `Event ${published.seq} (revenue ${event.id}): the log credits ${event.amount} but the chain transferred ${transfer.amount}.`;
      }
      if (published.blockNumber !== transfer.blockNumber) {
        return `Event ${published.seq} (revenue ${event.id}): the log places it in block ${String(published.blockNumber)} but the transfer is in block ${transfer.blockNumber}.`;
      }
    } else if (event.type === 'admin-fee-set' && event.id !== undefined) {
      const change = feesOnChain.get(event.id);
      if (
        !change ||
        change.fraction !== event.fraction ||
        published.blockNumber !== change.blockNumber
      ) {
        return `Event ${published.seq} sets the admin fee to ${event.fraction} from ${event.id}, but the DataUnion logged no such fee change there.`;
      }
    } else if (event.type in membershipType) {
      const e = event as { type: keyof typeof membershipType; address: string; at: number };
      if (!matcher.take(e.address, membershipType[e.type], e.at)) {
        return `Event ${published.seq} (${e.type} ${e.address.toLowerCase()} at ${e.at}) has no matching “${membershipType[e.type]}” entry in the published membership log.`;
      }
    }
  }
  return null;
}

/** Replays the log snapshot by snapshot (in block order) and compares the published totals. */
export class SnapshotReplayer {
  private readonly accounting: MonoplasmaAccounting;
  private next = 0;
  private eventSeq: number;
  private readonly credited: Set<string>;
  /** The last seq of the published log (the resumed position when no event came since). */
  private readonly logEnd: number;

  /** Fee changes in chain order, to know the fee at any position. */
  private readonly fees: readonly ChainFeeChange[];

  /**
   * From the start of the log, or (`from`) from a position a previous run replayed and checked:
   * then `events` are the published events after `from.eventSeq`.
   */
  constructor(
    private readonly events: readonly PublishedEvent[],
    private readonly transfers: readonly ChainTransfer[],
    minMembershipAgeSeconds: number,
    feeChanges: readonly ChainFeeChange[] = [],
    from?: ReplayPosition,
  ) {
    this.accounting = from?.accounting ?? new MonoplasmaAccounting({ minMembershipAgeSeconds });
    this.eventSeq = from?.eventSeq ?? 0;
    this.credited = new Set(from?.accounting.header().revenue.map(([id]) => id));
    this.logEnd = events.at(-1)?.seq ?? this.eventSeq;
    this.fees = [...feeChanges].sort(
      (a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex,
    );
  }

  /** Where the replay stands: the state after every event up to the last checked snapshot. */
  position(): ReplayPosition {
    return { eventSeq: this.eventSeq, accounting: this.accounting };
  }

  /**
   * The DataUnion's fee just before chain position (block, logIndex); undefined when no fee
   * change before it was read (the validator started after the deployment).
   */
  private feeAt(block: number, logIndex: number): bigint | undefined {
    let fee: bigint | undefined;
    for (const f of this.fees) {
      if (f.blockNumber > block || (f.blockNumber === block && f.logIndex >= logIndex)) break;
      fee = f.fraction;
    }
    return fee;
  }

  /**
   * Replays up to the state's events and compares. `leaves`: the state's members already parsed
   * (lower-case addresses), when the caller has them.
   */
  check(
    state: Omit<ReplayedState, 'members'> & Partial<Pick<ReplayedState, 'members'>>,
    leaves: readonly MemberTotal[] = parseLeaves(state),
  ): string | null {
    const block = state.blockNumber;
    const upTo = state.eventSeq;
    if (typeof upTo !== 'number') {
      return `Root of block ${block}: the published state does not say which events it includes (eventSeq).`;
    }
    if (upTo < this.eventSeq) {
      return `Root of block ${block}: it includes events up to ${upTo}, fewer than the previous root (${this.eventSeq}).`;
    }
    for (; this.next < this.events.length; this.next++) {
      const published = this.events[this.next]!;
      if (published.seq > upTo) break;
      if (published.kind === 'revenue-received' && (published.blockNumber ?? 0) > block) {
        return `Root of block ${block}: it includes event ${published.seq}, revenue from the later block ${String(published.blockNumber)}.`;
      }
      try {
        const event = eventFromPublished(published);
        if (event.type === 'revenue-received') {
          const want = this.feeAt(published.blockNumber ?? 0, published.logIndex ?? 0);
          const have = this.accounting.adminFeeFraction;
          if (want !== undefined && want !== have) {
            return `Root of block ${block}: event ${published.seq} (revenue ${event.id} in block ${String(published.blockNumber)}) is shared with an admin fee of ${have}, but the DataUnion's fee there was ${want}.`;
          }
        }
        this.accounting.apply(event);
        if (event.type === 'revenue-received') this.credited.add(event.id);
      } catch (error) {
        const reason = error instanceof AccountingError ? error.message : 'it is malformed';
        return `Root of block ${block}: event ${published.seq} (${published.kind}) cannot be replayed: ${reason}`;
      }
    }

    for (const t of this.transfers) {
      const id = transferKey(t.txHash, t.logIndex);
      if (t.blockNumber <= block && t.amount > 0n && !this.credited.has(id)) {
        return `Root of block ${block}: the transfer ${id} of ${t.amount} into the DataUnion (block ${t.blockNumber}) is missing from the events it includes (up to ${upTo}).`;
      }
    }
    if (this.logEnd < upTo) {
      return `Root of block ${block}: it includes events up to ${upTo}, but the published log ends at ${this.logEnd}.`;
    }
    this.eventSeq = upTo;

    const snapshot = this.accounting.snapshot();
    const admin = state.admin ?? '';
    if (state.totalRevenue !== undefined && BigInt(state.totalRevenue) !== snapshot.totalRevenue) {
      return `Root of block ${block}: replaying events up to ${upTo} gives total revenue ${snapshot.totalRevenue}, but the published state says ${state.totalRevenue}.`;
    }
    if (state.adminTotal !== undefined && BigInt(state.adminTotal) !== snapshot.adminTotal) {
      return `Root of block ${block}: replaying events up to ${upTo} gives the admin fee total ${snapshot.adminTotal}, but the published state says ${state.adminTotal}.`;
    }
    const difference = compareLeaves(
      treeEntries(snapshot, admin),
      leaves,
      (replayed, published) => published !== replayed,
    );
    if (difference?.kind === 'total') {
      return `Root of block ${block}: replaying events up to ${upTo} gives ${difference.address} a total of ${difference.expected}, but the published state says ${difference.actual ?? 'nothing'}.`;
    }
    if (difference?.kind === 'extra') {
      return `Root of block ${block}: the published state lists ${difference.address} with ${difference.actual}, but replaying events up to ${upTo} gives no such leaf.`;
    }
    return null;
  }
}

/** A published state's leaves as values (lower-case addresses); throws on a total that is no integer. */
export function parseLeaves(state: Partial<Pick<ReplayedState, 'members'>>): MemberTotal[] {
  return (state.members ?? []).map((m) => ({
    address: m.address.toLowerCase(),
    total: BigInt(m.total),
  }));
}
