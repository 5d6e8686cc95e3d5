/**
 * Who was a member of the union when: what both aggregators ask before counting a signed report.
 * The answer comes from the union's public, hash-chained membership log
 * (extension/protocol/membership-log.ts): a member is someone whose latest log entry at or before
 * the time asked is a `join` (a `leave`, `remove` or `reject` ends it; a later approval joins again).
 * Two sources: the log held in memory (tests, and the core of the HTTP one) and the log fetched
 * from the union and verified (`http-membership.ts`).
 */
import type { LogEntry } from '../../extension/protocol/membership-log.ts';

export interface MembershipSource {
  /**
   * Was `address` a member at some moment of [`from`, `to`) (seconds)? A report is for an epoch:
   * a member who joined during it, or left during it, contributed to it. `to` = `from` asks about
   * the instant `from`.
   */
  memberDuring(address: string, from: number, to: number): Promise<boolean>;
}

/** The membership log could not be read or does not verify: nothing can be decided; retry later. */
export class MembershipUnavailable extends Error {
  override readonly name = 'MembershipUnavailable';
  readonly code = 'membershipUnavailable';
}

/** Each member's log entries (time in ms, whether it is a join), in sequence order. */
export type MembershipIndex = ReadonlyMap<string, readonly { at: number; join: boolean }[]>;

export function indexLog(
  entries: readonly LogEntry[],
  into = new Map<string, { at: number; join: boolean }[]>(),
) {
  for (const entry of entries) {
    const list = into.get(entry.member) ?? [];
    list.push({ at: Date.parse(entry.at), join: entry.type === 'join' });
    into.set(entry.member, list);
  }
  return into;
}

/**
 * Pure: was `address` a member at some moment of [`from`, `to`) (seconds; `to` = `from` asks about
 * the instant `from`)? Either its latest entry (in sequence order, whatever the clocks of the
 * union's instances wrote) timed at or before `from` is a join, or a join is timed after `from`
 * and before `to`.
 */
export function memberDuringInIndex(
  index: MembershipIndex,
  address: string,
  from: number,
  to: number,
): boolean {
  let atStart = false;
  let joinedDuring = false;
  for (const entry of index.get(address.toLowerCase()) ?? []) {
    if (entry.at <= from * 1000) atStart = entry.join;
    else if (entry.join && entry.at < to * 1000) joinedDuring = true;
  }
  return atStart || joinedDuring;
}

/** A membership source over a chain-verified log in memory (tests; no network). */
export function memoryMembership(entries: readonly LogEntry[]): MembershipSource {
  const index = indexLog(entries);
  return {
    memberDuring: (address, from, to) =>
      Promise.resolve(memberDuringInIndex(index, address, from, to)),
  };
}
