/**
 * The leader's aggregation jobs on its own database (PGlite or PostgreSQL), for one task.
 *
 * `claim` takes work in one transaction: first a job whose lease expired (a driver died or failed
 * mid-job: the same reports are sent again under the same job id, and the helper answers a retried
 * job with the same bytes), else up to `maxReports` reports no job has taken yet — once the
 * unclaimed reports that may not be aggregated any more (older than the expiry age, or in a
 * bucket a collection already froze) are recorded `failed` without a job. "No job has taken
 * yet" is `reports.aggregation_started` (leader migration 0007), set and cleared in the same
 * statements that add and remove `report_aggregations` rows, and read through a partial index:
 * a claim costs its own reports, not every report the leader holds. Rows are locked
 * `FOR UPDATE SKIP LOCKED` so concurrent drivers pass each other by; the primary key of
 * `report_aggregations` (task, report id) is what guarantees a report joins one job only, even
 * when two drivers read the same free report (`ON CONFLICT DO NOTHING` drops it from the loser).
 * On PGlite there is one connection, so drivers sharing it simply run one after the other.
 *
 * `complete` records every report's outcome and adds the output shares to the batch sums in one
 * transaction, guarded by the job's `in_progress → finished` update: a second completion of the
 * same job (a driver whose lease expired and another that retried it) changes nothing. A bucket a
 * collection froze is never added to (its reports end `failed`: `batch_collected`).
 */
import type { Prio3SumVec } from '@divviup/prio3';
import { Buffer } from 'node:buffer';
import type { Db, Queryable } from '../../../shared-db/db.ts';
import type { PrepareError } from '../../dap/aggregation.ts';
import { batchFromRow, widenTimeRange, writeBatch, type BatchRow } from '../../db/batch-rows.ts';
import {
  addToBatch,
  emptyBatch,
  mergeBatches,
  type BatchAggregation,
} from '../../vdaf/batch-aggregation.ts';
import type { OutputShare } from '../../vdaf/prio3-shares.ts';
import type { StoredReport } from '../report-store.ts';
import { lockCollections } from './collection-lock.ts';
import { inList, statementChunks, valuesRows } from '../../db/multi-row.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

export interface ClaimedJob {
  readonly jobId: Uint8Array;
  /** The job's reports in request order (the same order on every retry). */
  readonly reports: readonly StoredReport[];
  /** 1 for a new job, +1 for each retry after a lease. */
  readonly attempts: number;
  /** What the previous attempt met with, if it failed. */
  readonly lastError: string | null;
}

export interface ReportResult {
  readonly report: StoredReport;
  readonly outcome: { readonly outputShare: OutputShare } | { readonly error: PrepareError };
}

export interface ClaimOptions {
  readonly now: number;
  readonly leaseSeconds: number;
  readonly maxReports: number;
  readonly newJobId: () => Uint8Array;
  /** Reports timestamped before this are dropped (`report_dropped`) instead of claimed. */
  readonly expiredBefore?: number;
  /** `false`: only a job already in progress is retried; no new reports are taken. */
  readonly newJobs?: boolean;
}

interface ReportRow {
  report_id: Uint8Array;
  time: number;
  report: Uint8Array;
}

const toReport = (row: ReportRow): StoredReport => ({
  reportId: new Uint8Array(row.report_id),
  time: row.time,
  bytes: new Uint8Array(row.report),
});

export function sqlAggregationStore(
  db: Db,
  vdaf: Prio3SumVec,
  taskId: Uint8Array,
  timePrecisionSeconds: number,
) {
  const fromRow = (row: BatchRow): BatchAggregation => batchFromRow(vdaf, row);

  async function retryExpired(tx: Queryable, options: ClaimOptions): Promise<ClaimedJob | null> {
    const { rows } = await tx.query<{
      job_id: Uint8Array;
      attempts: number;
      last_error: string | null;
    }>(
      `SELECT job_id, attempts, last_error FROM aggregation_jobs
       WHERE task_id = $1 AND state = 'in_progress' AND lease_expiry <= $2
       ORDER BY lease_expiry, job_id LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [taskId, options.now],
    );
    const job = rows[0];
    if (job === undefined) return null;
    const jobId = job.job_id;
    await tx.query(
      'UPDATE aggregation_jobs SET lease_expiry = $3, attempts = attempts + 1 WHERE task_id = $1 AND job_id = $2',
      [taskId, jobId, options.now + options.leaseSeconds],
    );
    const reports = await tx.query<ReportRow>(
      `SELECT r.report_id, r.time, r.report FROM report_aggregations ra
       JOIN reports r ON r.task_id = ra.task_id AND r.report_id = ra.report_id
       WHERE ra.task_id = $1 AND ra.job_id = $2 ORDER BY ra.ord`,
      [taskId, jobId],
    );
    return {
      jobId: new Uint8Array(jobId),
      reports: reports.rows.map(toReport),
      attempts: job.attempts + 1,
      lastError: job.last_error,
    };
  }

  /**
   * Records unclaimed reports as failed without a job (`error`): those of the task that `where`
   * selects among the reports no job has taken yet (`u`, read through the partial index of
   * migration 0007), each flagged taken in the same statement (reached by its tuple id, as in
   * `takeNew`). Rows another driver holds are skipped: that driver is taking or dropping them.
   */
  async function dropUnclaimed(
    tx: Queryable,
    error: PrepareError,
    where: string,
    params: readonly unknown[],
  ): Promise<void> {
    await tx.query(
      `WITH dropped AS (
         UPDATE reports r SET aggregation_started = true
         WHERE r.ctid = ANY (ARRAY(
           SELECT u.ctid FROM reports u
           WHERE u.task_id = $1 AND NOT u.aggregation_started AND ${where}
           FOR UPDATE SKIP LOCKED))
         RETURNING r.task_id, r.report_id)
       INSERT INTO report_aggregations (task_id, report_id, state, error)
       SELECT task_id, report_id, 'failed', $2::text FROM dropped
       ON CONFLICT (task_id, report_id) DO NOTHING`,
      [taskId, error, ...params],
    );
  }

  /** Records every unclaimed report older than `expiredBefore` as failed without a job. */
  const dropExpired = (tx: Queryable, expiredBefore: number) =>
    dropUnclaimed(tx, 'report_dropped', 'u.time < $3', [expiredBefore]);

  /**
   * Records every unclaimed report whose bucket a collection already froze as failed without a
   * job (`batch_collected`): its batch was released without it, and never changes again. Found
   * per frozen bucket, by time range (a few buckets; not by looking at every unclaimed report).
   */
  const dropCollected = (tx: Queryable) =>
    dropUnclaimed(
      tx,
      'batch_collected',
      `EXISTS (SELECT 1 FROM batch_aggregations b WHERE b.task_id = u.task_id AND b.collected
         AND u.time >= b.batch_start AND u.time < b.batch_start + $3)`,
      [timePrecisionSeconds],
    );

  async function takeNew(tx: Queryable, options: ClaimOptions): Promise<ClaimedJob | null> {
    // After a freeze in progress commits, never during it (collection-lock.ts).
    await lockCollections(tx, taskId, 'shared');
    if (options.expiredBefore !== undefined) await dropExpired(tx, options.expiredBefore);
    await dropCollected(tx);
    // The first `maxReports` reports no job has taken, in (time, id) order, flagged taken in the
    // same statement: the partial index (migration 0007) finds them, and the update reaches the
    // locked rows by their tuple ids — however many reports the leader holds, and whatever the
    // planner guesses of a never-analysed table (a join on the report id let it scan them all).
    const free = await tx.query<ReportRow>(
      `UPDATE reports r SET aggregation_started = true
       WHERE r.ctid = ANY (ARRAY(
         SELECT ctid FROM reports WHERE task_id = $1 AND NOT aggregation_started
         ORDER BY time, report_id LIMIT $2 FOR UPDATE SKIP LOCKED))
       RETURNING r.report_id, r.time, r.report`,
      [taskId, options.maxReports],
    );
    if (free.rows.length === 0) return null;
    free.rows.sort((a, b) => a.time - b.time || Buffer.compare(a.report_id, b.report_id));
    const jobId = options.newJobId();
    await tx.query(
      `INSERT INTO aggregation_jobs (task_id, job_id, state, lease_expiry) VALUES ($1, $2, 'in_progress', $3)`,
      [taskId, jobId, options.now + options.leaseSeconds],
    );
    // One statement per chunk; a report another driver took meanwhile is left out (RETURNING).
    const taken = new Set<string>();
    for (const chunk of statementChunks(
      free.rows.map((row, ord) => [row.report_id, ord]),
      2,
    )) {
      const { rows } = await tx.query<{ report_id: Uint8Array }>(
        `INSERT INTO report_aggregations (task_id, job_id, state, report_id, ord)
         VALUES ${valuesRows(chunk.length, 3, 2)}
         ON CONFLICT (task_id, report_id) DO NOTHING RETURNING report_id`,
        [taskId, jobId, 'started', ...chunk.flat()],
      );
      for (const row of rows) taken.add(hex(row.report_id));
    }
    const reports = free.rows.filter((row) => taken.has(hex(row.report_id))).map(toReport);
    if (reports.length === 0) {
      await tx.query('DELETE FROM aggregation_jobs WHERE task_id = $1 AND job_id = $2', [
        taskId,
        jobId,
      ]);
      return null;
    }
    return { jobId, reports, attempts: 1, lastError: null };
  }

  /** Each report's outcome: one UPDATE per kind (finished, or failed with one error) and chunk. */
  async function recordOutcomes(
    tx: Queryable,
    jobId: Uint8Array,
    results: readonly ReportResult[],
  ): Promise<void> {
    const byError = new Map<PrepareError | null, Uint8Array[]>();
    for (const { report, outcome } of results) {
      const error = 'error' in outcome ? outcome.error : null;
      const ids = byError.get(error) ?? [];
      ids.push(report.reportId);
      byError.set(error, ids);
    }
    for (const [error, ids] of byError) {
      for (const chunk of statementChunks(ids, 1)) {
        await tx.query(
          `UPDATE report_aggregations SET state = $3, error = $4
           WHERE task_id = $1 AND job_id = $2 AND report_id IN (${inList(chunk.length, 5)})`,
          [taskId, jobId, error === null ? 'finished' : 'failed', error, ...chunk],
        );
      }
    }
  }

  /**
   * Adds each bucket's finished reports to its row (rows created empty, then locked `FOR UPDATE`
   * in ascending order — the order a collection's freeze locks them in). A bucket a collection
   * already froze never changes: its reports are recorded `failed` (`batch_collected`) instead,
   * so they are counted nowhere (nor as contributions). Returns every report's recorded outcome.
   */
  async function addToBuckets(
    tx: Queryable,
    results: readonly ReportResult[],
  ): Promise<ReportResult[]> {
    const bucketOf = (r: ReportResult) =>
      Math.floor(r.report.time / timePrecisionSeconds) * timePrecisionSeconds;
    const starts = [...new Set(results.map(bucketOf))].sort((a, b) => a - b);
    const empty = emptyBatch(vdaf);
    const recorded: ReportResult[] = [];
    for (const batchStart of starts) {
      await tx.query(
        `INSERT INTO batch_aggregations (task_id, batch_start, aggregate_share, report_count, checksum)
         VALUES ($1, $2, $3, 0, $4) ON CONFLICT (task_id, batch_start) DO NOTHING`,
        [taskId, batchStart, vdaf.encodeAggregatorShare([...empty.aggregateShare]), empty.checksum],
      );
      const { rows } = await tx.query<BatchRow & { collected: boolean }>(
        `SELECT aggregate_share, report_count, checksum, collected FROM batch_aggregations
         WHERE task_id = $1 AND batch_start = $2 FOR UPDATE`,
        [taskId, batchStart],
      );
      const row = rows[0]!;
      const inBucket = results.filter((r) => bucketOf(r) === batchStart);
      if (row.collected) {
        for (const { report, outcome } of inBucket) {
          const error = 'error' in outcome ? outcome.error : 'batch_collected';
          recorded.push({ report, outcome: { error } });
        }
        continue;
      }
      let batch = fromRow(row);
      const times: number[] = [];
      for (const { report, outcome } of inBucket) {
        recorded.push({ report, outcome });
        if (!('outputShare' in outcome)) continue;
        batch = addToBatch(vdaf, batch, report.reportId, outcome.outputShare);
        times.push(report.time);
      }
      await writeBatch(tx, vdaf, taskId, batchStart, batch);
      await widenTimeRange(tx, taskId, batchStart, times);
    }
    return recorded;
  }

  /** `in_progress → abandoned` with the reason; false if the job was no longer in progress. */
  async function markAbandoned(tx: Queryable, jobId: Uint8Array, reason: string) {
    const job = await tx.query(
      `UPDATE aggregation_jobs SET state = 'abandoned', last_error = $3
       WHERE task_id = $1 AND job_id = $2 AND state = 'in_progress'`,
      [taskId, jobId, reason],
    );
    return job.rowCount === 1;
  }

  return {
    claim(options: ClaimOptions): Promise<ClaimedJob | null> {
      return db.transaction(
        async (tx) =>
          (await retryExpired(tx, options)) ??
          (options.newJobs === false ? null : await takeNew(tx, options)),
      );
    },

    /**
     * Applies a job's outcome once and returns what was recorded (a finished report of a bucket
     * frozen meanwhile is `failed`: `batch_collected`); `null` if the job was already applied or
     * given up (nothing changes).
     */
    complete(jobId: Uint8Array, results: readonly ReportResult[]): Promise<ReportResult[] | null> {
      return db.transaction(async (tx) => {
        const job = await tx.query(
          `UPDATE aggregation_jobs SET state = 'finished'
           WHERE task_id = $1 AND job_id = $2 AND state = 'in_progress'`,
          [taskId, jobId],
        );
        if (job.rowCount !== 1) return null;
        const recorded = await addToBuckets(tx, results);
        await recordOutcomes(tx, jobId, recorded);
        return recorded;
      });
    },

    /**
     * Notes why attempt `attempts` failed and releases the job's lease (`now`): it stays
     * `in_progress`, free for the next retry at once (the loop's back-off paces retries). Guarded
     * by the attempt, so a slow driver never releases a lease another driver took meanwhile.
     */
    async recordFailure(
      jobId: Uint8Array,
      attempts: number,
      error: string,
      now: number,
    ): Promise<void> {
      await db.query(
        `UPDATE aggregation_jobs SET last_error = $4, lease_expiry = LEAST(lease_expiry, $5)
         WHERE task_id = $1 AND job_id = $2 AND attempts = $3 AND state = 'in_progress'`,
        [taskId, jobId, attempts, error, now],
      );
    },

    /**
     * Gives up a job whose reports began to expire before the helper answered it: `abandoned`
     * with `reason`, its reports timestamped before `expiredBefore` `failed` (`report_dropped`),
     * the others released to be claimed by a new job. Guarded like `complete`; `null` if the job
     * was no longer in progress, else how many reports were dropped.
     */
    dropExpiredJob(
      jobId: Uint8Array,
      expiredBefore: number,
      reason: string,
    ): Promise<number | null> {
      return db.transaction(async (tx) => {
        if (!(await markAbandoned(tx, jobId, reason))) return null;
        const dropped = await tx.query(
          `UPDATE report_aggregations ra SET state = 'failed', error = 'report_dropped'
           FROM reports r WHERE ra.task_id = $1 AND ra.job_id = $2
             AND r.task_id = ra.task_id AND r.report_id = ra.report_id AND r.time < $3`,
          [taskId, jobId, expiredBefore],
        );
        await tx.query(
          `WITH released AS (
             DELETE FROM report_aggregations WHERE task_id = $1 AND job_id = $2 AND state = 'started'
             RETURNING report_id)
           UPDATE reports r SET aggregation_started = false FROM released d
           WHERE r.task_id = $1 AND r.report_id = d.report_id`,
          [taskId, jobId],
        );
        return dropped.rowCount ?? 0;
      });
    },

    /**
     * Gives a job up: `abandoned` with the reason, its reports `failed` (`job_abandoned`), no sums
     * touched — guarded like `complete`; `false` if the job was no longer in progress.
     */
    abandon(jobId: Uint8Array, reason: string): Promise<boolean> {
      return db.transaction(async (tx) => {
        if (!(await markAbandoned(tx, jobId, reason))) return false;
        await tx.query(
          `UPDATE report_aggregations SET state = 'failed', error = 'job_abandoned'
           WHERE task_id = $1 AND job_id = $2`,
          [taskId, jobId],
        );
        return true;
      });
    },

    /** The leader's aggregation over the buckets starting in [start, end). */
    async batch(start: number, end: number): Promise<BatchAggregation> {
      const { rows } = await db.query<BatchRow>(
        `SELECT aggregate_share, report_count, checksum FROM batch_aggregations
         WHERE task_id = $1 AND batch_start >= $2 AND batch_start < $3`,
        [taskId, start, end],
      );
      return rows.map(fromRow).reduce((a, b) => mergeBatches(vdaf, a, b), emptyBatch(vdaf));
    },
  };
}
