/**
 * What the helper remembers, per task, as an interface of its own (the SQL implementation is in
 * `db/sql-store.ts`): aggregation jobs and their per-report outcome (so a retried job gets the
 * same answer and adds nothing twice), the report ids already aggregated (replay refusal), and
 * per-batch aggregations for `AggregateShareReq`.
 */
import type { PrepareError } from '../dap/aggregation.ts';
import type { Interval } from '../dap/batch.ts';
import type { BatchAggregation } from '../vdaf/batch-aggregation.ts';
import type { OutputShare } from '../vdaf/prio3-shares.ts';

interface ReportOfJob {
  readonly reportId: Uint8Array;
  readonly time: number;
  /** The start of the time-precision bucket the report's time falls in. */
  readonly batchStart: number;
}

export type PreparedReport = ReportOfJob &
  (
    | { readonly state: 'finished'; readonly outputShare: OutputShare }
    | { readonly state: 'failed'; readonly error: PrepareError }
  );

/** `answered`: the response to send (new, or stored for a retry); `conflict`: the job id is taken by another request. */
export type JobOutcome =
  { readonly kind: 'answered'; readonly response: Uint8Array } | { readonly kind: 'conflict' };

export interface HelperStore {
  /** The stored outcome of this job id, or null if the helper has not seen it. */
  findJob(jobId: Uint8Array, requestHash: Uint8Array): Promise<JobOutcome | null>;
  /**
   * Records a prepared job in one transaction: a report id already aggregated (by any job) is
   * `report_replayed` and adds nothing; the others are marked seen, and finished ones are added
   * to their batch. `respond` encodes the response given the replayed ids (hex); it is stored.
   */
  commitJob(
    jobId: Uint8Array,
    requestHash: Uint8Array,
    reports: readonly PreparedReport[],
    respond: (replayed: ReadonlySet<string>) => Uint8Array,
  ): Promise<JobOutcome>;
  /** The aggregation of every bucket inside `interval` (empty if none). */
  batch(interval: Interval): Promise<BatchAggregation>;
}
