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
    const r = await tx.query<{
      address: string;
      status: string;
      joined_at: unknown;
      status_changed_at: unknown;
      active_from: unknown;
    }>(
      // Activity counts from the end of the report's batch (migration 0007), never its arrival.
      `SELECT address, status, joined_at, status_changed_at, active_from FROM members
       WHERE status IN ('active', 'left', 'removed') ORDER BY address`,
    );
    return r.rows.map((row) => ({
      address: row.address,
      status: row.status,
      joinedAt: secondsOrNull(row.joined_at),
      statusChangedAt: seconds(row.status_changed_at),
      activeFrom: secondsOrNull(row.active_from),
    }));
  },
};
