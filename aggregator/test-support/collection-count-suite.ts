/**
 * The leader's count of a batch's unaggregated reports before a collection (the freeze's wait),
 * run against PGlite (leader-collection-count.test.ts) and PostgreSQL
 * (leader-collection-count.postgres.test.ts): what it counts — reports in the batch interval that
 * no job took, or that a job still running holds; not those finished, failed, dropped as expired
 * or released and dropped later — and what it costs, read back through
 * `pg_stat_xact_user_tables` (rows fetched, counted by the server, not timed). Before, each
 * freeze anti-joined every report of the interval against `report_aggregations`: a poll cost
 * the whole batch, aggregated or not.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '../../shared-db/db.ts';
import type { FreezeOutcome } from '../leader/db/sql-collection-store.ts';
import { leaderSchema } from '../leader/db/schema.ts';
import {
  sqlAggregationStore,
  type ClaimedJob,
  type ReportResult,
} from '../leader/db/sql-aggregation-store.ts';
import { sqlCollectionStore } from '../leader/db/sql-collection-store.ts';
import { sqlReportStore } from '../leader/db/sql-report-store.ts';
import { sumVecFor } from '../vdaf/task.ts';
import { testTask } from './categories.ts';
import type { FreshDb } from './databases.ts';
import { countingRowReads } from './row-reads.ts';

const DAY = 86_400;
/** The collected batch: one bucket, [2 days, 3 days). */
const BATCH = { start: 2 * DAY, duration: DAY };
const HELD = 2_000;
const JOB = 100;
const vdaf = sumVecFor(testTask([1, 2]));
const newId = () => new Uint8Array(randomBytes(16));

/** A leader for a fresh task on `db`, its transactions counted by rows read. */
async function leaderOn(db: Db) {
  const taskId = new Uint8Array(randomBytes(32));
  const reports = sqlReportStore(db, taskId, DAY);
  const counted = countingRowReads(db, ['reports', 'report_aggregations', 'aggregation_jobs']);
  const aggregation = sqlAggregationStore(counted.db, vdaf, taskId, DAY);
  const collection = sqlCollectionStore(counted.db, vdaf, taskId, {
    timePrecisionSeconds: DAY,
    minBatchSize: 1_000_000,
  });
  const collectionJob = newId();
  await collection.create(collectionJob, BATCH, new Uint8Array(32));
  return {
    reads: counted.reads,
    /** Uploads one report per time. */
    async put(...times: number[]): Promise<void> {
      for (const time of times) {
        await reports.put({ reportId: newId(), time, bytes: new Uint8Array(randomBytes(64)) });
      }
    },
    claim(maxReports: number, expiredBefore = 0): Promise<ClaimedJob | null> {
      return aggregation.claim({
        now: 4 * DAY,
        leaseSeconds: DAY,
        maxReports,
        expiredBefore,
        newJobId: newId,
      });
    },
    aggregation,
    /** Every report of the job ends failed on the helper's side (aggregated, counted nowhere). */
    async fail(job: ClaimedJob | null): Promise<void> {
      const results: ReportResult[] = (job?.reports ?? []).map((report) => ({
        report,
        outcome: { error: 'vdaf_prep_error' },
      }));
      expect(await aggregation.complete(job!.jobId, results)).toHaveLength(results.length);
    },
    /** What the freeze of the batch answers (a batch this small is refused once nothing waits). */
    freeze(): Promise<FreezeOutcome> {
      return collection.freeze(collectionJob, 3 * DAY, () => {
        throw new Error('A batch below its minimum size is never sealed.');
      });
    },
  };
}

const waiting = (n: number) => ({
  kind: 'wait',
  reason: `${n} reports in the batch are not aggregated yet`,
});

export function collectionCountSuite(driver: string, fresh: () => FreshDb): void {
  const dbs: Db[] = [];
  const open = async () => {
    const db = await fresh()(leaderSchema);
    dbs.push(db);
    return db;
  };
  afterAll(async () => {
    await Promise.all(dbs.map((db) => db.close()));
  });

  describe(`the leader's count of unaggregated reports on ${driver}`, () => {
    it('counts the batch reports no job took or a running job holds, not those failed, dropped, or released and dropped', async () => {
      const leader = await leaderOn(await open());
      const at = (offset: number) => BATCH.start + offset;
      // A running job in the bucket before, and reports in the bucket after: never counted.
      await leader.put(BATCH.start - 1);
      expect((await leader.claim(1))?.reports).toHaveLength(1);
      await leader.put(BATCH.start + BATCH.duration, BATCH.start + BATCH.duration + 1);

      await leader.put(at(0), at(1), at(2));
      const first = await leader.claim(3);
      expect(await leader.freeze()).toEqual(waiting(3)); // in a running job
      await leader.put(at(10), at(11));
      expect(await leader.freeze()).toEqual(waiting(5)); // and two no job took
      await leader.fail(first);
      expect(await leader.freeze()).toEqual(waiting(2)); // the job's reports failed
      // The claim drops at(10) as expired and takes at(11); the job is then given up, at(11) released.
      const second = await leader.claim(1, at(11));
      expect(second?.reports.map((r) => r.time)).toEqual([at(11)]);
      expect(await leader.freeze()).toEqual(waiting(1));
      expect(await leader.aggregation.dropExpiredJob(second!.jobId, at(5), 'expired')).toBe(0);
      expect(await leader.freeze()).toEqual(waiting(1));
      // Taken again with at(20); given up once at(11) expired: at(11) dropped, at(20) released.
      await leader.put(at(20));
      const third = await leader.claim(2);
      expect(third?.reports.map((r) => r.time)).toEqual([at(11), at(20)]);
      expect(await leader.aggregation.dropExpiredJob(third!.jobId, at(15), 'expired')).toBe(1);
      expect(await leader.freeze()).toEqual(waiting(1));
      const fourth = await leader.claim(1);
      expect(await leader.aggregation.abandon(fourth!.jobId, 'helper refused')).toBe(true);
      // Nothing waits: the batch (no report finished) is refused as too small.
      expect(await leader.freeze()).toEqual({ kind: 'refused', problem: 'invalidBatchSize' });
    });

    it(`reads the reports still to aggregate and the running jobs, not the ${HELD} reports and ${HELD / JOB} jobs the batch's earlier jobs aggregated`, async () => {
      const leader = await leaderOn(await open());
      await leader.put(...Array.from({ length: HELD }, (_, i) => BATCH.start + i));
      for (let i = 0; i < HELD / JOB; i++) await leader.fail(await leader.claim(JOB));
      await leader.put(BATCH.start + HELD, BATCH.start + HELD + 1, BATCH.start + HELD + 2);
      expect((await leader.claim(3))?.reports).toHaveLength(3);
      await leader.put(BATCH.start + HELD + 3, BATCH.start + HELD + 4);

      expect(await leader.freeze()).toEqual(waiting(5));
      // Three rows of the running job, two reports no job took, each read once or twice.
      expect(leader.reads.get('reports')).toBeLessThanOrEqual(10 * 5);
      expect(leader.reads.get('report_aggregations') ?? 0).toBeLessThanOrEqual(10 * 5);
      expect(leader.reads.get('aggregation_jobs') ?? 0).toBeLessThanOrEqual(10);

      // A claim looks for a job whose lease passed among the running jobs, not the 20 ended ones.
      expect((await leader.claim(2))?.reports).toHaveLength(2);
      expect(leader.reads.get('aggregation_jobs') ?? 0).toBeLessThanOrEqual(10);
    });
  });
}
