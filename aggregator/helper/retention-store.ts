/**
 * The helper's retention SQL (see `retention.ts` for the rules): what it keeps per report — the
 * outcome row, the seen report id and the member's epoch key — once the report's bucket is
 * collected and `keepSeconds` have passed; then jobs left without reports (with their stored
 * answers). Each statement deletes at most `limit` rows.
 */
import type { Queryable } from '../../shared-db/db.ts';

/** Arbitrary, fixed: the helper's retention lock ("hret"). */
export const HELPER_RETENTION_LOCK = 0x68726574;

const collectedBucket = (time: string) =>
  `EXISTS (SELECT 1 FROM batch_aggregations b WHERE b.task_id = $1
     AND b.batch_start = ${time} - ${time} % $3 AND b.collected)`;

/** Outcome rows and seen ids of reports in collected buckets timestamped before `before`. */
export async function deleteCollectedOutcomes(
  tx: Queryable,
  taskId: Uint8Array,
  timePrecisionSeconds: number,
  before: number,
  limit: number,
): Promise<number> {
  const { rowCount } = await tx.query(
    `WITH doomed AS (
       SELECT ra.job_id, ra.ord, ra.report_id FROM report_aggregations ra
       WHERE ra.task_id = $1 AND ra.time < $2 AND ${collectedBucket('ra.time')}
       ORDER BY ra.time LIMIT $4
     ), seen AS (
       DELETE FROM reports_seen s USING doomed d WHERE s.task_id = $1 AND s.report_id = d.report_id
     )
     DELETE FROM report_aggregations ra USING doomed d
     WHERE ra.task_id = $1 AND ra.job_id = d.job_id AND ra.ord = d.ord`,
    [taskId, before, timePrecisionSeconds, limit],
  );
  return rowCount;
}

/** Members' epoch keys of collected epochs that started before `before`. */
export async function deleteCollectedMemberEpochs(
  tx: Queryable,
  taskId: Uint8Array,
  timePrecisionSeconds: number,
  before: number,
  limit: number,
): Promise<number> {
  const { rowCount } = await tx.query(
    `DELETE FROM member_epochs WHERE task_id = $1 AND (member, epoch) IN (
       SELECT me.member, me.epoch FROM member_epochs me
       WHERE me.task_id = $1 AND me.epoch < $2 AND ${collectedBucket('me.epoch')}
       LIMIT $4)`,
    [taskId, before, timePrecisionSeconds, limit],
  );
  return rowCount;
}

/** Answered jobs none of whose reports is left. */
export async function deleteEmptyJobs(
  tx: Queryable,
  taskId: Uint8Array,
  limit: number,
): Promise<number> {
  const { rowCount } = await tx.query(
    `DELETE FROM aggregation_jobs WHERE task_id = $1 AND job_id IN (
       SELECT j.job_id FROM aggregation_jobs j
       WHERE j.task_id = $1 AND j.response IS NOT NULL AND NOT EXISTS (
         SELECT 1 FROM report_aggregations ra WHERE ra.task_id = j.task_id AND ra.job_id = j.job_id)
       LIMIT $2)`,
    [taskId, limit],
  );
  return rowCount;
}
