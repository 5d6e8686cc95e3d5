/**
 * The leader's retention SQL (see `retention.ts` for the rules). Reports are taken only once
 * their outcome is recorded (`finished` or `failed`: no claim, retry or drop touches them again),
 * in a bucket a collection froze, timestamped before the expiry cutoff (the upload route refuses
 * their id and their member's epoch by time from then on), and — for a finished contribution —
 * of an epoch the union has already read (`contributions_read`). One statement deletes a batch's
 * member row, outcome and upload together (the foreign keys are checked at its end).
 */
import type { Queryable } from '../../shared-db/db.ts';

/** Arbitrary, fixed: the leader's retention lock ("lret"). */
export const LEADER_RETENTION_LOCK = 0x6c726574;

/** Records that the union has recorded every contribution of epochs before `before`. */
export async function noteContributionsRead(
  q: Queryable,
  taskId: Uint8Array,
  before: number,
): Promise<void> {
  await q.query(
    `INSERT INTO contributions_read (task_id, read_before) VALUES ($1, $2)
     ON CONFLICT (task_id) DO UPDATE
       SET read_before = GREATEST(contributions_read.read_before, EXCLUDED.read_before)`,
    [taskId, before],
  );
}

export async function deleteCollectedReports(
  tx: Queryable,
  taskId: Uint8Array,
  timePrecisionSeconds: number,
  expiredBefore: number,
  limit: number,
): Promise<number> {
  const { rowCount } = await tx.query(
    `WITH doomed AS (
       SELECT r.report_id FROM reports r
       JOIN report_aggregations ra ON ra.task_id = r.task_id AND ra.report_id = r.report_id
       LEFT JOIN member_reports mr ON mr.task_id = r.task_id AND mr.report_id = r.report_id
       WHERE r.task_id = $1 AND r.time < $2 AND ra.state IN ('finished', 'failed')
         AND EXISTS (SELECT 1 FROM batch_aggregations b WHERE b.task_id = r.task_id
           AND b.batch_start = r.time - r.time % $3 AND b.collected)
         AND (mr.report_id IS NULL OR ra.state = 'failed'
           OR mr.epoch < (SELECT c.read_before FROM contributions_read c WHERE c.task_id = r.task_id))
       ORDER BY r.time, r.report_id LIMIT $4
     ), members AS (
       DELETE FROM member_reports mr USING doomed d WHERE mr.task_id = $1 AND mr.report_id = d.report_id
     ), outcomes AS (
       DELETE FROM report_aggregations ra USING doomed d WHERE ra.task_id = $1 AND ra.report_id = d.report_id
     )
     DELETE FROM reports r USING doomed d WHERE r.task_id = $1 AND r.report_id = d.report_id`,
    [taskId, expiredBefore, timePrecisionSeconds, limit],
  );
  return rowCount;
}

/** Ended aggregation jobs none of whose reports is left. */
export async function deleteEmptyJobs(
  tx: Queryable,
  taskId: Uint8Array,
  limit: number,
): Promise<number> {
  const { rowCount } = await tx.query(
    `DELETE FROM aggregation_jobs WHERE task_id = $1 AND job_id IN (
       SELECT j.job_id FROM aggregation_jobs j
       WHERE j.task_id = $1 AND j.state <> 'in_progress' AND NOT EXISTS (
         SELECT 1 FROM report_aggregations ra WHERE ra.task_id = j.task_id AND ra.job_id = j.job_id)
       LIMIT $2)`,
    [taskId, limit],
  );
  return rowCount;
}
