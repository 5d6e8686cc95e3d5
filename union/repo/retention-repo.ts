/**
 * Report retention's SQL (issue 19): which epochs' reports may go, and deleting them in bounded
 * batches. An epoch qualifies only when its product row exists (published, or collected under
 * DAP), it was published at least the keep period ago, and it ended before the acceptance window
 * and the product's grace — so the report rules refuse any report for it
 * (`REPORT_EPOCH_TOO_OLD`) and no insert can race the delete. Nothing else reads a deleted
 * report: activity (`members.active_from`) and the overview's summaries (migration 0009) are
 * written by the report's own insert.
 */
import type { Queryable } from '../db/db.ts';

/** Arbitrary, fixed, not the other locks: the retention job's singleton lock ("reta"). */
export const RETENTION_LOCK = 0x72657461;

export interface RetentionCutoff {
  /** Published at or before this instant. */
  readonly publishedBefore: Date;
  /** Epoch end (start + seconds) at or before this (Unix seconds). */
  readonly endedBy: number;
}

export const retentionRepo = {
  /** True if this transaction holds the retention lock (released at commit/rollback). */
  async tryLock(tx: Queryable): Promise<boolean> {
    const r = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [
      RETENTION_LOCK,
    ]);
    return r.rows[0]?.ok === true;
  },

  /** Published epochs past the cutoff that still hold reports, after `after`, oldest first. */
  async dueEpochs(
    q: Queryable,
    cutoff: RetentionCutoff,
    after: number,
    limit: number,
  ): Promise<number[]> {
    const { rows } = await q.query<{ epoch_start: number }>(
      `SELECT p.epoch_start FROM product_epochs p
       WHERE p.published_at <= $1 AND p.epoch_start + p.epoch_seconds <= $2 AND p.epoch_start > $3
         AND EXISTS (SELECT 1 FROM reports r WHERE r.epoch_start = p.epoch_start)
       ORDER BY p.epoch_start LIMIT $4`,
      [cutoff.publishedBefore, cutoff.endedBy, after, limit],
    );
    return rows.map((r) => Number(r.epoch_start));
  },

  /** Deletes at most `limit` reports of one epoch that ended by `endedBy`; returns how many. */
  async deleteBatch(
    tx: Queryable,
    epochStart: number,
    endedBy: number,
    limit: number,
  ): Promise<number> {
    const { rowCount } = await tx.query(
      `DELETE FROM reports WHERE (member, epoch_start) IN (
         SELECT member, epoch_start FROM reports
         WHERE epoch_start = $1 AND epoch_start + epoch_seconds <= $2 LIMIT $3)`,
      [epochStart, endedBy, limit],
    );
    return rowCount;
  },

  /**
   * Makes the deleted rows' space reusable now: PGlite runs no autovacuum, and on PostgreSQL a
   * day's deletes are about a tenth of the table, below autovacuum's default 20 % trigger.
   */
  async vacuum(q: Queryable): Promise<void> {
    await q.query('VACUUM reports');
  },
};
