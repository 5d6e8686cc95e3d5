/**
 * A collection job's rules, pure (DAP-09 §4.6): when a batch may be frozen, the `Collection`
 * interval, and what a poll answers in each state. The SQL adapter is
 * `db/sql-collection-store.ts`, the HTTP adapter `collection-job-route.ts`, the steps that move a
 * job on `collection-driver.ts`.
 *
 * Which queries are valid is `../dap/batch-interval.ts` (the helper applies the same rule).
 *
 * States: `pending` (created by the collector; the batch is not frozen yet) → `sharing` (the
 * leader froze the batch: its AggregateShareReq and its noisy, sealed share are stored, the
 * buckets marked collected) → `finished` (the helper's share is in; the `Collection` is stored),
 * or `abandoned` with the DAP problem that ended it. Nothing is released before `finished`.
 */
import type { Interval } from '../dap/batch.ts';
import type { DapProblemType } from '../dap/problem.ts';

export type CollectionJobState = 'pending' | 'sharing' | 'finished' | 'abandoned';

/** What the leader knows of a batch when a driver tries to freeze it. */
export interface BatchReadiness {
  readonly interval: Interval;
  readonly now: number;
  /** Reports timestamped in the interval that no aggregation job has finished or failed yet. */
  readonly unaggregatedReports: number;
  readonly reportCount: number;
  readonly minBatchSize: number;
}

export type FreezeDecision =
  | { readonly kind: 'wait'; readonly reason: string }
  | { readonly kind: 'refuse'; readonly problem: DapProblemType; readonly detail: string }
  | { readonly kind: 'freeze' };

/**
 * A batch is frozen once its interval has ended and every report uploaded into it has been
 * aggregated (finished or failed on both sides), so the leader and the helper hold the same
 * reports; a batch below the minimum size is then refused (`invalidBatchSize`) and never released.
 */
export function freezeDecision(b: BatchReadiness): FreezeDecision {
  const end = b.interval.start + b.interval.duration;
  if (b.now < end) return { kind: 'wait', reason: `the batch interval ends at ${end}` };
  if (b.unaggregatedReports > 0) {
    return {
      kind: 'wait',
      reason: `${b.unaggregatedReports} reports in the batch are not aggregated yet`,
    };
  }
  if (b.reportCount < b.minBatchSize) {
    return {
      kind: 'refuse',
      problem: 'invalidBatchSize',
      detail: `The batch holds ${b.reportCount} reports; at least ${b.minBatchSize} are needed before it is released.`,
    };
  }
  return { kind: 'freeze' };
}

/**
 * The `Collection` interval (DAP-09 §4.6.6): the smallest interval aligned to the time precision
 * that covers every report time in the batch (its earliest and latest).
 */
export function collectionInterval(
  minTime: number,
  maxTime: number,
  timePrecisionSeconds: number,
): Interval {
  const start = Math.floor(minTime / timePrecisionSeconds) * timePrecisionSeconds;
  const end = (Math.floor(maxTime / timePrecisionSeconds) + 1) * timePrecisionSeconds;
  return { start, duration: end - start };
}

/** One stored bucket of a batch, as far as its report times go. */
export interface BucketTimes {
  readonly start: number;
  readonly reportCount: number;
  /** Null for a bucket aggregated before report times were kept (leader migration 0004). */
  readonly minTime: number | null;
  readonly maxTime: number | null;
}

/**
 * The `Collection` interval of a batch made of `buckets`: from the earliest to the latest report
 * time; a non-empty bucket without recorded times counts as its whole span (still aligned and
 * covering, if not the smallest). Null when the batch holds no report.
 */
export function batchCollectionInterval(
  buckets: readonly BucketTimes[],
  timePrecisionSeconds: number,
): Interval | null {
  const times = buckets
    .filter((b) => b.reportCount > 0)
    .flatMap((b) =>
      b.minTime === null || b.maxTime === null
        ? [b.start, b.start + timePrecisionSeconds - 1]
        : [b.minTime, b.maxTime],
    );
  if (times.length === 0) return null;
  return collectionInterval(Math.min(...times), Math.max(...times), timePrecisionSeconds);
}

/** A poll's answer: still working (202), the Collection (200), or the problem that ended the job. */
export type PollAnswer =
  | { readonly kind: 'processing' }
  | { readonly kind: 'collection'; readonly bytes: Uint8Array }
  | { readonly kind: 'problem'; readonly problem: DapProblemType; readonly detail: string };

export interface StoredCollectionJob {
  readonly state: CollectionJobState;
  readonly collection: Uint8Array | null;
  readonly problem: DapProblemType | null;
  readonly problemDetail: string | null;
}

export function pollAnswer(job: StoredCollectionJob): PollAnswer {
  if (job.state === 'finished' && job.collection !== null) {
    return { kind: 'collection', bytes: job.collection };
  }
  if (job.state === 'abandoned' && job.problem !== null) {
    return { kind: 'problem', problem: job.problem, detail: job.problemDetail ?? '' };
  }
  return { kind: 'processing' };
}
