/**
 * What the revenue watcher reads from the database besides the accounting state: the books'
 * position in the membership log (migration 0006), the log entries after it, and each member's
 * row — all times as unix seconds, rounded down (the books count whole seconds).
 */
import type { Queryable } from '../db/db.ts';
import type {
  MemberFact,
  MembershipLogEntry,
} from '../monoplasma/accounting/membership-changes.ts';
import { toDate, toDateOrNull } from './rows.ts';

const seconds = (value: unknown): number => Math.floor(toDate(value).getTime() / 1000);
const secondsOrNull = (value: unknown): number | null => {
  const date = toDateOrNull(value);
  return date === null ? null : Math.floor(date.getTime() / 1000);
};

export const accountingInputsRepo = {
  /** The seq of the last membership log entry in the books (null: unknown, see 0006). */
  async membershipSeq(tx: Queryable): Promise<number | null> {
    const r = await tx.query<{ s: number | null }>(
      'SELECT membership_seq AS s FROM monoplasma_state WHERE id = 1',
    );
    return r.rows[0]?.s ?? null;
  },

  /** Call after the state row is saved, in the same transaction. */
  async setMembershipSeq(tx: Queryable, seq: number): Promise<void> {
    await tx.query('UPDATE monoplasma_state SET membership_seq = $1 WHERE id = 1', [seq]);
  },

  async logHead(tx: Queryable): Promise<number> {
    const r = await tx.query<{ seq: number }>('SELECT seq FROM membership_log_head WHERE id = 1');
    return r.rows[0]?.seq ?? 0;
  },

  async logAfter(tx: Queryable, seq: number): Promise<MembershipLogEntry[]> {
    const r = await tx.query<{
      seq: number;
      at: unknown;
      type: MembershipLogEntry['type'];
      member: string;
    }>('SELECT seq, at, type, member FROM membership_log WHERE seq > $1 ORDER BY seq', [seq]);
    return r.rows.map((row) => ({
      seq: row.seq,
      time: seconds(row.at),
      type: row.type,
      member: row.member,
    }));
  },

  /** Every member who joined at some point (pending and rejected ones never earn). */
  async memberFacts(tx: Queryable): Promise<MemberFact[]> {
    const r = await tx.query<FactRow>(
      // Activity counts from the end of the report's batch (migration 0007), never its arrival.
      `SELECT ${factColumns} FROM members m
       WHERE m.status IN ('active', 'left', 'removed') ORDER BY m.address`,
    );
    return r.rows.map(toFact);
  },

  /**
   * The rows of `memberFacts` that can give the books a change in this step, in the same order
   * (issue 19: the others give none, and reading a million rows per tick cost seconds). The books
   * must be stored as they are in memory (monoplasma_members, migration 0010, same transaction).
   * A row is left out only when membership-changes.ts would make nothing of it: no log entry
   * after the books' position, its status agrees with the books, and its activity verdict
   * cannot flip between the books' clock and the horizon — an active member whose activity ends
   * after both, an inactive one whose window closed before the clock or whose report counts
   * only after the horizon. Comparisons keep 2 s of slack (seconds are rounded down), so what is
   * read is a superset.
   */
  async changedMemberFacts(
    tx: Queryable,
    books: {
      logged: readonly string[];
      activityWindowSeconds: number;
      clock: number;
      horizon: number;
    },
  ): Promise<MemberFact[]> {
    const until = Math.max(books.clock, Number.isFinite(books.horizon) ? books.horizon : 0);
    const window = books.activityWindowSeconds;
    const at = (seconds: number) => new Date(seconds * 1000);
    // Timestamps compared as they are stored (no per-row arithmetic): this reads every row.
    const r = await tx.query<FactRow>(
      `SELECT ${factColumns} FROM members m
       LEFT JOIN monoplasma_members b ON b.address = m.address
       WHERE m.status IN ('active', 'left', 'removed') AND (
         m.address = ANY($1::text[])
         OR (m.status = 'active') <> (b.status IS NOT DISTINCT FROM 'member')
         OR (b.status = 'member' AND b.active AND (m.active_from IS NULL OR m.active_from <= $2))
         OR (b.status = 'member' AND NOT b.active AND m.active_from > $3 AND m.active_from < $4))
       ORDER BY m.address`,
      [books.logged, at(until + 2 - window), at(books.clock - 2 - window), at(until + 2)],
    );
    return r.rows.map(toFact);
  },
};

interface FactRow {
  address: string;
  status: string;
  joined_at: unknown;
  status_changed_at: unknown;
  active_from: unknown;
}

const factColumns = 'm.address, m.status, m.joined_at, m.status_changed_at, m.active_from';

const toFact = (row: FactRow): MemberFact => ({
  address: row.address,
  status: row.status,
  joinedAt: secondsOrNull(row.joined_at),
  statusChangedAt: seconds(row.status_changed_at),
  activeFrom: secondsOrNull(row.active_from),
});
