/**
 * Membership changes for the books, each with the time it happened (docs/monoplasma.md §1,
 * "Order"), before a horizon: the timestamp of the newest confirmed block. A change at or after
 * the horizon waits for a later batch, since a block stamped at or before it may still be
 * unconfirmed (chain-order.ts: ties go to the block).
 *
 *  - Joins, leaves and removals come from the membership log, in log order, at their logged
 *    times. As a safety net, a member whose row in the members table disagrees with the books
 *    and has no pending log entry (a row written without a log entry, or books started before
 *    this rule) is brought in line at the row's `joined_at` / `status_changed_at`.
 *  - Activity is the union's verdict from the time `L` the member's latest accepted report
 *    counts from (`members.active_from`: the end of the activity batch — by default the UTC day —
 *    the report arrived in, union/domain/activity-batch.ts, so the log never times a report):
 *    active from `L` until `L + window`. An inactive member becomes active at `L` (at the join,
 *    if `L` is before it); an active member becomes inactive at `L + window`. Only the latest
 *    `L` is known, so an active member is assumed to have stayed active until a later report:
 *    a gap shorter than the watcher's lag can be missed.
 *
 * Pure: plain values in, time-ordered changes out.
 */
import type { MembershipChange } from './chain-order.ts';
import type { MemberStatus } from './state.ts';

export interface BooksMember {
  readonly status: MemberStatus;
  readonly active: boolean;
}

export interface MembershipLogEntry {
  readonly seq: number;
  /** Unix seconds. */
  readonly time: number;
  readonly type: 'join' | 'leave' | 'remove' | 'reject';
  /** Lower case. */
  readonly member: string;
}

/** A row of the members table; times in unix seconds. */
export interface MemberFact {
  /** Lower case. */
  readonly address: string;
  readonly status: string;
  readonly joinedAt: number | null;
  readonly statusChangedAt: number;
  readonly activeFrom: number | null;
}

export interface MembershipInput {
  /** The books' view of a member (lower-case address). */
  readonly books: (address: string) => BooksMember | undefined;
  /** The books' clock: nothing is timed before it. */
  readonly clock: number;
  /** Changes at or after this time (unix seconds) wait; `-Infinity` applies none. */
  readonly horizon: number;
  readonly activityWindowSeconds: number;
  /** Membership log entries not yet in the books, in log order. */
  readonly log: readonly MembershipLogEntry[];
  readonly members: readonly MemberFact[];
}

export interface MembershipOutput {
  /** In time order. */
  readonly changes: MembershipChange[];
  /** Seq of the last log entry consumed (null when none was). */
  readonly consumedThroughSeq: number | null;
}

type StatusChange = { readonly time: number; readonly kind: 'join' | 'leave' | 'remove' };
type Instant = { readonly time: number; readonly status?: StatusChange['kind'] };

export function membershipChanges(input: MembershipInput): MembershipOutput {
  let consumed = 0;
  while (consumed < input.log.length && input.log[consumed]!.time < input.horizon) consumed++;
  const logged = new Map<string, MembershipLogEntry[]>();
  for (const entry of input.log.slice(0, consumed)) {
    const list = logged.get(entry.member) ?? [];
    list.push(entry);
    logged.set(entry.member, list);
  }
  const pending = new Set(input.log.slice(consumed).map((e) => e.member));

  const all: MembershipChange[] = [];
  // Every row (O(members), as the table is), then any logged member without a row.
  const unseen = new Set(logged.keys());
  for (const row of input.members) {
    unseen.delete(row.address);
    const entries = logged.get(row.address) ?? [];
    all.push(...memberChanges(input, row.address, entries, row, pending));
  }
  for (const address of unseen) {
    all.push(...memberChanges(input, address, logged.get(address)!, undefined, pending));
  }
  // Stable: each member's changes keep their order; members keep table (address) order.
  all.sort((a, b) => a.time - b.time);
  const last = consumed > 0 ? input.log[consumed - 1]!.seq : null;
  return { changes: all, consumedThroughSeq: last };
}

function memberChanges(
  input: MembershipInput,
  address: string,
  entries: readonly MembershipLogEntry[],
  row: MemberFact | undefined,
  pending: ReadonlySet<string>,
): MembershipChange[] {
  const books = input.books(address);
  const status = statusChanges(books?.status === 'member', entries, row, input, pending);
  let member = books?.status === 'member';
  if (status.length === 0) {
    return member
      ? activityOnly(input, address, books?.active === true, row?.activeFrom ?? null)
      : NONE;
  }

  const instants: Instant[] = status.map((s) => ({ time: s.time, status: s.kind }));
  const L = row?.activeFrom ?? null;
  const window = input.activityWindowSeconds;
  if (member) instants.push({ time: input.clock });
  if (L !== null && L < input.horizon) instants.push({ time: L });
  if (L !== null && L + window < input.horizon) instants.push({ time: L + window });
  // Late times are applied at the clock; status changes come before activity at one instant.
  const at = (i: Instant) => Math.max(i.time, input.clock);
  instants.sort((a, b) => at(a) - at(b) || (a.status ? 0 : 1) - (b.status ? 0 : 1));

  const out: MembershipChange[] = [];
  const push = (time: number, event: MembershipChange['event']) => out.push({ time, event });
  let active = books?.status === 'member' && books.active;
  for (const instant of instants) {
    const time = at(instant);
    if (instant.status === 'join') {
      push(time, { type: 'member-joined', address });
      member = true;
      active = false;
    } else if (instant.status !== undefined) {
      const type = instant.status === 'leave' ? 'member-left' : 'member-removed';
      push(time, { type, address });
      member = false;
      active = false;
    }
    if (!member) continue;
    // Before the latest report the verdict stays as it was (see the file comment).
    const wanted = L === null ? false : L > time ? active : time < L + window;
    if (wanted !== active) {
      push(time, { type: 'member-activity-changed', address, active: wanted });
      active = wanted;
    }
  }
  return out;
}

const NONE: MembershipChange[] = [];

/**
 * The common case, a member whose status does not change in this batch: the same verdicts as
 * the general path at the clock, at `L` and at `L + window`, without sorting or allocating
 * unless something changes (the watcher runs this for every member on every tick).
 */
function activityOnly(
  input: MembershipInput,
  address: string,
  active: boolean,
  L: number | null,
): MembershipChange[] {
  const { clock, horizon } = input;
  const window = input.activityWindowSeconds;
  let out: MembershipChange[] | undefined;
  const check = (time: number) => {
    const wanted = L === null ? false : L > time ? active : time < L + window;
    if (wanted === active) return;
    (out ??= []).push({
      time,
      event: { type: 'member-activity-changed', address, active: wanted },
    });
    active = wanted;
  };
  check(clock);
  if (L !== null && L < horizon) check(Math.max(L, clock));
  if (L !== null && L + window < horizon) check(Math.max(L + window, clock));
  return out ?? NONE;
}

/** Joins, leaves and removals of one member up to the horizon: the log, then the safety net. */
function statusChanges(
  isMember: boolean,
  entries: readonly MembershipLogEntry[],
  row: MemberFact | undefined,
  input: MembershipInput,
  pending: ReadonlySet<string>,
): StatusChange[] {
  const out: StatusChange[] = [];
  let member = isMember;
  let last = Number.NEGATIVE_INFINITY;
  const add = (time: number, kind: StatusChange['kind']) => {
    last = Math.max(last, time);
    out.push({ time: last, kind });
    member = kind === 'join';
  };
  for (const entry of entries) {
    // Tolerant: a change the books already hold (applied through the safety net) is skipped.
    if (entry.type === 'join' && !member) add(entry.time, 'join');
    if ((entry.type === 'leave' || entry.type === 'remove') && member) add(entry.time, entry.type);
  }
  if (row === undefined || pending.has(row.address)) return out;
  if (row.status === 'active' && !member && row.joinedAt !== null) {
    if (row.joinedAt < input.horizon) add(row.joinedAt, 'join');
  } else if ((row.status === 'left' || row.status === 'removed') && member) {
    if (row.statusChangedAt < input.horizon) {
      add(row.statusChangedAt, row.status === 'left' ? 'leave' : 'remove');
    }
  }
  return out;
}
