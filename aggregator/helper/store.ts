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
import type { MemberEpoch } from '../membership/verify-member-report.ts';

interface ReportOfJob {
  readonly reportId: Uint8Array;
  readonly time: number;
  /** The start of the time-precision bucket the report's time falls in. */
  readonly batchStart: number;
}

export type PreparedReport = ReportOfJob &
  (
    | {
        readonly state: 'finished';
        readonly outputShare: OutputShare;
        /** The signing member and epoch, under a task requiring member signatures. */
        readonly member?: MemberEpoch | undefined;
      }
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
   * `report_replayed`, a finished report whose batch was already collected is `batch_collected`,
   * and neither adds anything, nor does a second report of one member for one epoch
   * (`report_replayed`: the first one stands); the other finished reports are marked seen and added to their
   * batch (a failed report is not marked seen: it never counted). `respond` encodes the response given those rejections (by report id, hex); it is
   * stored.
   */
  commitJob(
    jobId: Uint8Array,
    requestHash: Uint8Array,
    reports: readonly PreparedReport[],
    respond: (rejected: ReadonlyMap<string, PrepareError>) => Uint8Array,
  ): Promise<JobOutcome>;
  /** The aggregation of every bucket inside `interval` (empty if none). */
  batch(interval: Interval): Promise<BatchAggregation>;
  /**
   * Gives a batch's aggregate share once, in one transaction: the same interval and request get
   * the stored answer; the same interval with another request is `queried`; an interval
   * overlapping buckets collected under another interval is `overlap`. Otherwise `answer` (which
   * may throw to refuse) computes the response from the batch, and it is stored and the buckets
   * marked collected.
   */
  collectBatch(
    interval: Interval,
    requestHash: Uint8Array,
    answer: (batch: BatchAggregation) => Promise<Uint8Array>,
  ): Promise<ShareOutcome>;
}

export type ShareOutcome =
  | { readonly kind: 'answered'; readonly response: Uint8Array }
  | { readonly kind: 'queried' }
  | { readonly kind: 'overlap' };
