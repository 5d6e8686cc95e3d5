/**
 * The leader's collection jobs on its own database (PGlite or PostgreSQL), for one task: the rows
 * of `collection_jobs` and the freeze of a batch. The rules are `../collection-job.ts`.
 *
 * Each batch is collected once: `create` refuses a second job for the same interval
 * (`batchQueriedTooManyTimes`) or an overlapping one (`batchOverlap`) — jobs abandoned as too
 * small do not count, nothing of theirs was released. `freeze` decides, in one transaction with
 * the batch's buckets locked and claims of new reports held off (`collection-lock.ts`), whether
 * the batch is ready; if so it stores the AggregateShareReq bytes and the leader's noisy sealed
 * share (drawn by `seal`, once) and marks the buckets collected, so a retry sends the same
 * request and the same share.
 */
import { Buffer } from 'node:buffer';
import type { Db, Queryable } from '../../../shared-db/db.ts';
import type { Interval } from '../../dap/batch.ts';
import type { DapProblemType } from '../../dap/problem.ts';
import { batchFromRow, type BatchRow } from '../../db/batch-rows.ts';
import { lockCollections } from './collection-lock.ts';
import { emptyBatch, mergeBatches, type BatchAggregation } from '../../vdaf/batch-aggregation.ts';
import type { Prio3SumVec } from '@divviup/prio3';
import {
  batchCollectionInterval,
  freezeDecision,
  type CollectionJobState,
  type StoredCollectionJob,
} from '../collection-job.ts';

export type CreateOutcome = 'created' | 'exists' | 'conflict' | 'queried' | 'overlap';

export interface CollectionJobRow extends StoredCollectionJob {
  readonly jobId: Uint8Array;
  readonly batchInterval: Interval;
  readonly shareRequest: Uint8Array | null;
  readonly leaderShare: Uint8Array | null;
  readonly reportCount: number | null;
  readonly interval: Interval | null;
}

/** What the driver stores at the freeze: computed from the batch inside the transaction. */
export interface Frozen {
  readonly shareRequest: Uint8Array;
  readonly leaderShare: Uint8Array;
}

export type FreezeOutcome =
  | { readonly kind: 'frozen'; readonly job: CollectionJobRow }
  | { readonly kind: 'wait'; readonly reason: string }
  | { readonly kind: 'refused'; readonly problem: DapProblemType }
  | { readonly kind: 'gone' };

interface JobRow {
  job_id: Uint8Array;
  batch_start: number;
  batch_duration: number;
  request_hash: Uint8Array;
  state: CollectionJobState;
  share_request: Uint8Array | null;
  leader_share: Uint8Array | null;
  report_count: number | null;
  interval_start: number | null;
  interval_duration: number | null;
  collection: Uint8Array | null;
  problem: DapProblemType | null;
  problem_detail: string | null;
}

const bytesOrNull = (b: Uint8Array | null) => (b === null ? null : new Uint8Array(b));

function toJob(row: JobRow): CollectionJobRow {
  return {
    jobId: new Uint8Array(row.job_id),
    batchInterval: { start: Number(row.batch_start), duration: Number(row.batch_duration) },
    state: row.state,
    shareRequest: bytesOrNull(row.share_request),
    leaderShare: bytesOrNull(row.leader_share),
    reportCount: row.report_count === null ? null : Number(row.report_count),
    interval:
      row.interval_start === null || row.interval_duration === null
        ? null
        : { start: Number(row.interval_start), duration: Number(row.interval_duration) },
    collection: bytesOrNull(row.collection),
    problem: row.problem,
    problemDetail: row.problem_detail,
  };
}

interface TimedBatchRow extends BatchRow {
  batch_start: number;
  collected: boolean;
  min_time: number | null;
  max_time: number | null;
}

export function sqlCollectionStore(
  db: Db,
  vdaf: Prio3SumVec,
  taskId: Uint8Array,
  task: { readonly timePrecisionSeconds: number; readonly minBatchSize: number },
) {
  async function readJob(q: Queryable, jobId: Uint8Array, lock = ''): Promise<JobRow | undefined> {
    const { rows } = await q.query<JobRow>(
      `SELECT * FROM collection_jobs WHERE task_id = $1 AND job_id = $2 ${lock}`,
      [taskId, jobId],
    );
    return rows[0];
  }

  /**
   * Reports timestamped in [start, end) that no job has finished or failed: those no job has
   * taken (`NOT aggregation_started`, leader migration 0007: the partial index's range of the
   * interval) and those a running job holds (`started` rows; a job leaves `in_progress` only
   * once every one of its rows is finished, failed or released, so they are the rows of the
   * running jobs, found through the partial index of migration 0008, then their reports by
   * primary key). A poll reads the reports still to aggregate and the running jobs, not the
   * batch's reports already aggregated, nor every report and job the leader holds — as an
   * anti-join of the interval's reports against `report_aggregations` did.
   */
  async function unaggregated(q: Queryable, start: number, end: number): Promise<number> {
    const { rows } = await q.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM reports
               WHERE task_id = $1 AND NOT aggregation_started AND time >= $2 AND time < $3)::int
            + (SELECT count(*) FROM (
                 SELECT (SELECT r.time FROM reports r
                         WHERE r.task_id = ra.task_id AND r.report_id = ra.report_id) AS time
                 FROM report_aggregations ra
                 WHERE ra.task_id = $1 AND ra.state = 'started' AND ra.job_id = ANY (ARRAY(
                   SELECT j.job_id FROM aggregation_jobs j
                   WHERE j.task_id = $1 AND j.state = 'in_progress'))) running
               WHERE running.time >= $2 AND running.time < $3)::int AS n`,
      [taskId, start, end],
    );
    return rows[0]?.n ?? 0;
  }

  async function setAbandoned(
    q: Queryable,
    jobId: Uint8Array,
    from: CollectionJobState,
    problem: DapProblemType,
    detail: string,
  ): Promise<boolean> {
    const updated = await q.query(
      `UPDATE collection_jobs SET state = 'abandoned', problem = $4, problem_detail = $5
       WHERE task_id = $1 AND job_id = $2 AND state = $3`,
      [taskId, jobId, from, problem, detail],
    );
    return updated.rowCount === 1;
  }

  return {
    /** Records the collector's job; the same job id with the same request again is `exists`. */
    create(
      jobId: Uint8Array,
      batchInterval: Interval,
      requestHash: Uint8Array,
    ): Promise<CreateOutcome> {
      const { start, duration } = batchInterval;
      return db.transaction(async (tx) => {
        // One writer at a time decides overlaps for this task (jobs are few; a batch is rare).
        await lockCollections(tx, taskId, 'exclusive');
        const same = await readJob(tx, jobId);
        if (same !== undefined) {
          return Buffer.from(same.request_hash).equals(requestHash) ? 'exists' : 'conflict';
        }
        const { rows } = await tx.query<{ batch_start: number; batch_duration: number }>(
          `SELECT batch_start, batch_duration FROM collection_jobs
           WHERE task_id = $1 AND state <> 'abandoned' AND batch_start < $3 AND batch_start + batch_duration > $2
           UNION ALL
           SELECT batch_start, $4::bigint FROM batch_aggregations
           WHERE task_id = $1 AND collected AND batch_start >= $2 AND batch_start < $3`,
          [taskId, start, start + duration, task.timePrecisionSeconds],
        );
        if (
          rows.some((r) => Number(r.batch_start) === start && Number(r.batch_duration) === duration)
        ) {
          return 'queried';
        }
        if (rows.length > 0) return 'overlap';
        await tx.query(
          `INSERT INTO collection_jobs (task_id, job_id, batch_start, batch_duration, request_hash, state)
           VALUES ($1, $2, $3, $4, $5, 'pending')`,
          [taskId, jobId, start, duration, requestHash],
        );
        return 'created';
      });
    },

    async find(jobId: Uint8Array): Promise<CollectionJobRow | null> {
      const row = await readJob(db, jobId);
      return row === undefined ? null : toJob(row);
    },

    /**
     * Takes a job whose lease has passed and whose interval has ended (`pending` to freeze,
     * `sharing` to ask the helper), leasing it until `now + leaseSeconds`.
     */
    claim(now: number, leaseSeconds: number): Promise<CollectionJobRow | null> {
      return db.transaction(async (tx) => {
        const { rows } = await tx.query<JobRow>(
          `SELECT * FROM collection_jobs
           WHERE task_id = $1 AND state IN ('pending', 'sharing') AND lease_expiry <= $2
             AND batch_start + batch_duration <= $2
           ORDER BY lease_expiry, job_id LIMIT 1 FOR UPDATE SKIP LOCKED`,
          [taskId, now],
        );
        const row = rows[0];
        if (row === undefined) return null;
        await tx.query(
          'UPDATE collection_jobs SET lease_expiry = $3 WHERE task_id = $1 AND job_id = $2',
          [taskId, row.job_id, now + leaseSeconds],
        );
        return toJob(row);
      });
    },

    /** Freezes a pending job's batch if it is ready (see `freezeDecision`); `seal` runs once. */
    freeze(
      jobId: Uint8Array,
      now: number,
      seal: (batch: BatchAggregation, interval: Interval) => Promise<Frozen>,
    ): Promise<FreezeOutcome> {
      return db.transaction(async (tx): Promise<FreezeOutcome> => {
        await lockCollections(tx, taskId, 'exclusive');
        const row = await readJob(tx, jobId, 'FOR UPDATE');
        if (row === undefined || row.state !== 'pending') return { kind: 'gone' };
        const start = Number(row.batch_start);
        const end = start + Number(row.batch_duration);
        const { rows } = await tx.query<TimedBatchRow>(
          `SELECT batch_start, aggregate_share, report_count, checksum, collected, min_time, max_time
           FROM batch_aggregations WHERE task_id = $1 AND batch_start >= $2 AND batch_start < $3
           ORDER BY batch_start FOR UPDATE`,
          [taskId, start, end],
        );
        const batch = rows
          .map((r) => batchFromRow(vdaf, r))
          .reduce((a, b) => mergeBatches(vdaf, a, b), emptyBatch(vdaf));
        const decision = freezeDecision({
          interval: { start, duration: end - start },
          now,
          unaggregatedReports: await unaggregated(tx, start, end),
          reportCount: batch.reportCount,
          minBatchSize: task.minBatchSize,
        });
        if (decision.kind === 'wait') return decision;
        if (decision.kind === 'refuse' || rows.some((r) => r.collected)) {
          const [problem, detail] =
            decision.kind === 'refuse'
              ? [decision.problem, decision.detail]
              : ([
                  'batchOverlap',
                  'The batch overlaps a batch that was already collected.',
                ] as const);
          await setAbandoned(tx, jobId, 'pending', problem, detail);
          return { kind: 'refused', problem };
        }
        const interval = batchCollectionInterval(
          rows.map((r) => ({
            start: Number(r.batch_start),
            reportCount: Number(r.report_count),
            minTime: r.min_time === null ? null : Number(r.min_time),
            maxTime: r.max_time === null ? null : Number(r.max_time),
          })),
          task.timePrecisionSeconds,
        );
        if (interval === null) throw new Error('A batch of the minimum size has no report.');
        const frozen = await seal(batch, interval);
        await tx.query(
          `UPDATE collection_jobs SET state = 'sharing', share_request = $3, leader_share = $4,
             report_count = $5, interval_start = $6, interval_duration = $7
           WHERE task_id = $1 AND job_id = $2`,
          [
            taskId,
            jobId,
            frozen.shareRequest,
            frozen.leaderShare,
            batch.reportCount,
            interval.start,
            interval.duration,
          ],
        );
        await tx.query(
          `UPDATE batch_aggregations SET collected = true
           WHERE task_id = $1 AND batch_start >= $2 AND batch_start < $3`,
          [taskId, start, end],
        );
        return { kind: 'frozen', job: toJob((await readJob(tx, jobId))!) };
      });
    },

    /** Stores the Collection once (`sharing → finished`); false if another driver already did. */
    async finish(jobId: Uint8Array, collection: Uint8Array): Promise<boolean> {
      const updated = await db.query(
        `UPDATE collection_jobs SET state = 'finished', collection = $3
         WHERE task_id = $1 AND job_id = $2 AND state = 'sharing'`,
        [taskId, jobId, collection],
      );
      return updated.rowCount === 1;
    },

    /**
     * Forgets a job (the collector's `DELETE`): its row and any stored Collection. Buckets it
     * froze stay collected, so deleting never frees a batch for a second collection; a job
     * deleted before its freeze released nothing and leaves the interval free. A driver holding
     * the job finds it gone and stores nothing.
     */
    async remove(jobId: Uint8Array): Promise<boolean> {
      const deleted = await db.query(
        'DELETE FROM collection_jobs WHERE task_id = $1 AND job_id = $2',
        [taskId, jobId],
      );
      return deleted.rowCount === 1;
    },

    /** Ends a `sharing` job the helper refused for good; nothing is released. */
    abandon(jobId: Uint8Array, problem: DapProblemType, detail: string): Promise<boolean> {
      return setAbandoned(db, jobId, 'sharing', problem, detail);
    },
  };
}

export type SqlCollectionStore = ReturnType<typeof sqlCollectionStore>;
