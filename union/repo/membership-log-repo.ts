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
    return (await membershipLogRepo.appendMany(tx, [change]))[0]!;
  },

  /**
   * Appends entries in order, chained from the head, under the head row's lock (held until the
   * transaction ends, so concurrent appenders — other groups, other instances — queue behind
   * it); one INSERT and one head update however many there are.
   */
  async appendMany(
    tx: Queryable,
    changes: readonly { at: Date; type: LogType; member: string }[],
  ): Promise<LogEntry[]> {
    if (changes.length === 0) return [];
    const { rows } = await tx.query<LogHead>(
      'SELECT seq, hash FROM membership_log_head WHERE id = 1 FOR UPDATE',
    );
    let head: LogHead = rows[0]!;
    const entries = changes.map((change) => {
      const entry = nextLogEntry(head, change);
      head = entry;
      return entry;
    });
    await tx.query(
      `INSERT INTO membership_log (seq, at, type, member, prev_hash, hash)
       SELECT seq, at, type, member, prev_hash, hash
       FROM json_to_recordset($1::json) AS u(seq bigint, at timestamptz, type text, member text,
         prev_hash text, hash text)`,
      [
        JSON.stringify(
          entries.map((e) => ({
            seq: e.seq,
            at: e.at,
            type: e.type,
            member: e.member,
            prev_hash: e.prevHash,
            hash: e.hash,
          })),
        ),
      ],
    );
    await tx.query('UPDATE membership_log_head SET seq = $1, hash = $2 WHERE id = 1', [
      head.seq,
      head.hash,
    ]);
    return entries;
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
