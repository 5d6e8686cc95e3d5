/** The hash-chained `membership_log` and its one-row head (see domain/membership-log.ts). */
import type { Queryable } from '../db/db.ts';
import { nextLogEntry, type LogEntry, type LogHead } from '../domain/membership-log.ts';
import type { LogType } from '../domain/membership-rules.ts';
import { toDate } from './rows.ts';

interface RawEntry {
  seq: number;
  at: unknown;
  type: LogType;
  member: string;
  prev_hash: string;
  hash: string;
}

export const membershipLogRepo = {
  /** Appends one entry; call inside the transaction that changes the member. */
  async append(
    tx: Queryable,
    change: { at: Date; type: LogType; member: string },
  ): Promise<LogEntry> {
    const { rows } = await tx.query<LogHead>(
      'SELECT seq, hash FROM membership_log_head WHERE id = 1 FOR UPDATE',
    );
    const entry = nextLogEntry(rows[0]!, change);
    await tx.query(
      `INSERT INTO membership_log (seq, at, type, member, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [entry.seq, new Date(entry.at), entry.type, entry.member, entry.prevHash, entry.hash],
    );
    await tx.query('UPDATE membership_log_head SET seq = $1, hash = $2 WHERE id = 1', [
      entry.seq,
      entry.hash,
    ]);
    return entry;
  },

  async head(q: Queryable): Promise<LogHead> {
    const { rows } = await q.query<LogHead>(
      'SELECT seq, hash FROM membership_log_head WHERE id = 1',
    );
    return rows[0]!;
  },

  async page(q: Queryable, after: number, limit: number): Promise<LogEntry[]> {
    const { rows } = await q.query<RawEntry>(
      `SELECT seq, at, type, member, prev_hash, hash FROM membership_log
       WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [after, limit],
    );
    return rows.map((r) => ({
      seq: r.seq,
      at: toDate(r.at).toISOString(),
      type: r.type,
      member: r.member,
      prevHash: r.prev_hash,
      hash: r.hash,
    }));
  },
};
