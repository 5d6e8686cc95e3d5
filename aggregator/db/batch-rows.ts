/** A `batch_aggregations` row as both aggregators store it: read into a batch, written back. */
import type { Prio3SumVec } from '@divviup/prio3';
import type { Queryable } from '../../shared-db/db.ts';
import type { BatchAggregation } from '../vdaf/batch-aggregation.ts';
import { decodeAggregateShare } from '../vdaf/prio3-shares.ts';

export interface BatchRow {
  aggregate_share: Uint8Array;
  report_count: number;
  checksum: Uint8Array;
}

export function batchFromRow(vdaf: Prio3SumVec, row: BatchRow): BatchAggregation {
  return {
    aggregateShare: decodeAggregateShare(vdaf, new Uint8Array(row.aggregate_share)),
    reportCount: row.report_count,
    checksum: new Uint8Array(row.checksum),
  };
}

/** Stores `batch` as the task's bucket at `batchStart` (the row must exist). */
export async function writeBatch(
  q: Queryable,
  vdaf: Prio3SumVec,
  taskId: Uint8Array,
  batchStart: number,
  batch: BatchAggregation,
): Promise<void> {
  await q.query(
    `UPDATE batch_aggregations SET aggregate_share = $3, report_count = $4, checksum = $5
     WHERE task_id = $1 AND batch_start = $2`,
    [
      taskId,
      batchStart,
      vdaf.encodeAggregatorShare([...batch.aggregateShare]),
      batch.reportCount,
      batch.checksum,
    ],
  );
}

/**
 * Widens the bucket's earliest and latest report time to cover `times` (the reports just added;
 * nothing when empty). LEAST/GREATEST skip the NULL of a bucket that held no report yet.
 */
export async function widenTimeRange(
  q: Queryable,
  taskId: Uint8Array,
  batchStart: number,
  times: readonly number[],
): Promise<void> {
  if (times.length === 0) return;
  await q.query(
    `UPDATE batch_aggregations SET min_time = LEAST(min_time, $3), max_time = GREATEST(max_time, $4)
     WHERE task_id = $1 AND batch_start = $2`,
    [taskId, batchStart, Math.min(...times), Math.max(...times)],
  );
}
