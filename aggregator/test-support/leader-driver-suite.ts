/**
 * The leader's aggregation-job driver over real HTTP against the helper server, each with its own
 * database (PGlite in leader-driver.test.ts, PostgreSQL in leader-driver.postgres.test.ts):
 * reports from the real `@divviup/dap` client in the leader's report store → the driver's jobs →
 * the leader's batch aggregation and the helper's answer to an `AggregateShareReq`, opened by the
 * collector, equal the plain sums. Two drivers on one database never take a report twice; a
 * driver that dies between the helper's answer and its commit leaves a job that a later driver
 * retries once its lease has passed (likewise a job the helper refused), and a stale driver
 * committing after that retry adds nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../shared-db/db.ts';
import { openCollection } from '../collector/open-collection.ts';
import { aggregationDriver, HelperJobFailed } from '../leader/aggregation-driver.ts';
import { aggregateShareRequest } from '../leader/collection.ts';
import { assembleCollection } from './assemble-collection.ts';
import { sumVecFor } from '../vdaf/task.ts';
import { testTask } from './categories.ts';
import type { FreshDb } from './databases.ts';
import { PIPELINE_TOKEN, startPipeline, type Pipeline } from './driver-pipeline.ts';
import { aggregateShareOf, postAggregateShareReq } from './helper-http.ts';

const DAY = 86_400;
const EPOCH_DAY = 20_428; // 2025-12-06
const interval = { start: EPOCH_DAY * DAY, duration: DAY };
const categories = testTask([4, 5]);
const vdaf = sumVecFor(categories);
const LEASE = 600;
/** The leader's and the helper's clock: a day after the reports. */
const NOW = EPOCH_DAY * DAY + DAY;

const measurementsOf = (n: number) =>
  Array.from({ length: n }, (_, i) => [i % 2, i, 3 * i, 1, (i * 7) % 50, i % 4]);
const plainSums = (rows: number[][]) => rows.reduce((acc, m) => acc.map((x, i) => x + m[i]!));

interface Env extends Pipeline {
  readonly measurements: number[][];
}

export function leaderDriverSuite(driver: string, fresh: () => FreshDb): void {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(count: number, maxReportsPerJob: number): Promise<Env> {
    const measurements = measurementsOf(count);
    const pipeline = await startPipeline({
      fresh: fresh(),
      categories,
      measurements,
      day: interval.start,
      now: NOW,
      maxReportsPerJob,
      leaseSeconds: LEASE,
    });
    cleanups.push(() => pipeline.close());
    return { ...pipeline, measurements };
  }

  /** The collector's view: the leader's batch + the helper's aggregate share, opened. */
  async function collect(env: Env): Promise<number[]> {
    const { helperTask: t } = env;
    const batch = await aggregationDriver(env.base).batch(
      interval.start,
      interval.start + interval.duration,
    );
    const request = aggregateShareRequest(batch, interval, t.minBatchSize);
    const helperShare = await aggregateShareOf(
      await postAggregateShareReq(env.base.helper, t.taskId, request),
    );
    const collection = await assembleCollection(
      vdaf,
      t.taskId,
      t.collectorHpkeConfig,
      batch,
      request,
      helperShare,
      t.minBatchSize,
    );
    return openCollection(vdaf, t.taskId, env.collectorKeys, interval, collection);
  }

  async function reportStates(db: Db): Promise<Record<string, number>> {
    const { rows } = await db.query<{ state: string; n: number }>(
      'SELECT state, count(*)::int AS n FROM report_aggregations GROUP BY state',
    );
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }

  describe(`the leader's aggregation-job driver on ${driver}`, () => {
    it('aggregates uploaded real-client reports in jobs over HTTP; the collection equals the plain sums', async () => {
      const env = await setup(5, 2);
      const runs = await aggregationDriver(env.base).runUntilIdle();
      expect(runs.map((r) => [r.finished, r.failed, r.applied])).toEqual([
        [2, 0, true],
        [2, 0, true],
        [1, 0, true],
      ]);
      expect(await aggregationDriver(env.base).runOne()).toBeNull();
      expect(await reportStates(env.leaderDb)).toEqual({ finished: 5 });
      expect(await collect(env)).toEqual(plainSums(env.measurements));
    });

    it('two drivers on one database running at once never take a report twice', async () => {
      const env = await setup(8, 1);
      const [a, b] = await Promise.all([
        aggregationDriver(env.base).runUntilIdle(),
        aggregationDriver(env.base).runUntilIdle(),
      ]);
      const runs = [...a, ...b];
      expect(runs.reduce((n, r) => n + r.finished, 0)).toBe(8);
      expect(runs.every((r) => r.failed === 0 && r.applied)).toBe(true);
      expect(new Set(runs.map((r) => r.jobId)).size).toBe(runs.length);
      expect(await reportStates(env.leaderDb)).toEqual({ finished: 8 });
      expect(await collect(env)).toEqual(plainSums(env.measurements));
    });

    it('a driver that dies between the helper answer and its commit leaves the job to a retry after its lease, applied once', async () => {
      const env = await setup(4, 10);
      const dying = aggregationDriver({
        ...env.base,
        beforeCommit: () => Promise.reject(new Error('killed before commit')),
      });
      await expect(dying.runOne()).rejects.toThrow('killed before commit');
      const end = interval.start + interval.duration;
      expect((await dying.batch(interval.start, end)).reportCount).toBe(0);
      expect(await reportStates(env.leaderDb)).toEqual({ started: 4 });
      // Within the lease nobody else takes the job or its reports.
      expect(await aggregationDriver(env.base).runOne()).toBeNull();

      const later = aggregationDriver({ ...env.base, now: () => NOW + LEASE });
      const runs = await later.runUntilIdle();
      expect(runs.map((r) => [r.finished, r.failed, r.applied])).toEqual([[4, 0, true]]);
      expect(await reportStates(env.leaderDb)).toEqual({ finished: 4 });
      expect(await collect(env)).toEqual(plainSums(env.measurements));
    });

    it('a job the helper refuses (wrong token) stays in progress and completes when retried after its lease', async () => {
      const env = await setup(3, 10);
      const wrongToken = aggregationDriver({
        ...env.base,
        helper: { ...env.base.helper, token: `${PIPELINE_TOKEN}x` },
      });
      await expect(wrongToken.runOne()).rejects.toThrow(HelperJobFailed);
      expect(await reportStates(env.leaderDb)).toEqual({ started: 3 });
      const later = aggregationDriver({ ...env.base, now: () => NOW + LEASE });
      expect(await later.runUntilIdle()).toMatchObject([{ finished: 3, applied: true }]);
      expect(await collect(env)).toEqual(plainSums(env.measurements));
    });

    it('a stale driver committing after another retried its job adds nothing', async () => {
      const env = await setup(3, 10);
      const retrier = aggregationDriver({ ...env.base, now: () => NOW + LEASE });
      const retried: unknown[] = [];
      const stale = aggregationDriver({
        ...env.base,
        beforeCommit: async () => {
          retried.push(...(await retrier.runUntilIdle()));
        },
      });
      const staleRun = await stale.runOne();
      expect(retried).toMatchObject([{ finished: 3, applied: true }]);
      expect(staleRun).toMatchObject({ finished: 3, applied: false });
      expect(await collect(env)).toEqual(plainSums(env.measurements));
    });
  });
}
