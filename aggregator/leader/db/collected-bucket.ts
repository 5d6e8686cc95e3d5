/**
 * Whether an upload would join a batch that is already collected, on the leader's own database:
 * a collection froze the report's time-precision bucket (`batch_aggregations.collected`), so the
 * report could never be aggregated — its batch was released without it. The upload route refuses
 * it at once (`reportRejected`) instead of storing it for the claim to drop later. That drop stays
 * the guarantee (a freeze racing this check still leaves the report out, `batch_collected`); this
 * check gives the client its answer. A report already stored under this id passes, so a retry of
 * an accepted upload is still answered by the report store (`same`, or `conflict`).
 */
import type { Db } from '../../../shared-db/db.ts';

export type CollectedBucketCheck = (reportId: Uint8Array, time: number) => Promise<boolean>;

export function sqlCollectedBucket(
  db: Db,
  taskId: Uint8Array,
  timePrecisionSeconds: number,
): CollectedBucketCheck {
  return async (reportId, time) => {
    const bucket = time - (time % timePrecisionSeconds);
    const { rows } = await db.query(
      `SELECT 1 FROM batch_aggregations b
        WHERE b.task_id = $1 AND b.batch_start = $2 AND b.collected
          AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.task_id = $1 AND r.report_id = $3)`,
      [taskId, bucket, reportId],
    );
    return rows.length > 0;
  };
}
