/**
 * The leader driver's limits over real HTTP against the helper server (PGlite in
 * leader-driver-limits.test.ts, PostgreSQL in leader-driver-limits.postgres.test.ts): a job the
 * helper refuses for good is abandoned at once; a helper outage loses nothing (the job is retried,
 * no new reports are taken meanwhile) unless reports reach the expiry age; reports past that age
 * or in a collected bucket are dropped before any job, and a job's reports in a bucket frozen
 * before its commit are not added — in each case the reports end `failed` with the reason,
 * nothing reaches the batch sums, and nothing is retried.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../shared-db/db.ts';
import { taskIdToString } from '../dap/task-id.ts';
import { aggregationDriver, HelperJobFailed } from '../leader/aggregation-driver.ts';
import { testTask } from './categories.ts';
import type { FreshDb } from './databases.ts';
import { startPipeline, type Pipeline } from './driver-pipeline.ts';

const DAY = 86_400;
const START = 20_428 * DAY; // 2025-12-06
const LEASE = 600;
/** The clock: a day after the day of the reports. */
const NOW = START + DAY;
/** The reports' age at NOW: the real client rounds their time down to the day (time precision). */
const AGE = DAY;

async function outcomes(db: Db): Promise<string[]> {
  const { rows } = await db.query<{ state: string; error: string | null }>(
    'SELECT state, error FROM report_aggregations ORDER BY report_id',
  );
  return rows.map((r) => `${r.state}:${r.error ?? ''}`);
}

async function jobs(db: Db): Promise<{ state: string; attempts: number }[]> {
  const { rows } = await db.query<{ state: string; attempts: number }>(
    'SELECT state, attempts FROM aggregation_jobs',
  );
  return rows;
}

export function leaderDriverLimitsSuite(driver: string, fresh: () => FreshDb): void {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(count: number): Promise<Pipeline> {
    const pipeline = await startPipeline({
      fresh: fresh(),
      categories: testTask([3]),
      measurements: Array.from({ length: count }, (_, i) => [1, i, i]),
      day: START,
      now: NOW,
      maxReportsPerJob: 10,
      leaseSeconds: LEASE,
    });
    cleanups.push(() => pipeline.close());
    return pipeline;
  }

  /** A driver `leases` leases after NOW whose helper is unreachable while `helper.down`. */
  const outageDriver =
    (env: Pipeline, helper: { down: boolean }, reportExpiryAgeSeconds: number) =>
    (leases: number) =>
      aggregationDriver({
        ...env.base,
        fetch: (input, init) =>
          helper.down ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init),
        now: () => NOW + leases * LEASE,
        reportExpiryAgeSeconds,
      });

  const batchCount = async (env: Pipeline) =>
    (await aggregationDriver(env.base).batch(START, START + DAY)).reportCount;

  describe(`the leader driver's limits on ${driver}`, () => {
    it('abandons a job the helper refuses for good (unrecognizedTask): reports failed, nothing counted, never retried', async () => {
      const env = await setup(3);
      const ours = taskIdToString(env.helperTask.taskId);
      const unknown = taskIdToString(new Uint8Array(32));
      const refused = aggregationDriver({
        ...env.base,
        fetch: (input, init) =>
          fetch(typeof input === 'string' ? input.replace(ours, unknown) : input, init),
      });
      const run = await refused.runOne();
      expect(run).toMatchObject({ finished: 0, failed: 3, applied: true });
      expect(run?.abandoned).toMatch(/^refused by the helper: .*HTTP 404.*unrecognizedTask/);
      expect(await outcomes(env.leaderDb)).toEqual(Array(3).fill('failed:job_abandoned'));
      expect(await jobs(env.leaderDb)).toEqual([{ state: 'abandoned', attempts: 1 }]);
      const later = aggregationDriver({ ...env.base, now: () => NOW + 10 * LEASE });
      expect(await later.runOne()).toBeNull();
      expect(await batchCount(env)).toBe(0);
    });

    it('while the helper fails takes no new reports: retries the failed job (its lease released), then goes on once it answers', async () => {
      const env = await setup(3);
      let down = true;
      const driver = aggregationDriver({
        ...env.base,
        maxReportsPerJob: 1,
        fetch: (input, init) =>
          down ? Promise.resolve(new Response('busy', { status: 503 })) : fetch(input, init),
      });
      await expect(driver.runOne()).rejects.toThrow(/HTTP 503/);
      await expect(driver.runOne()).rejects.toThrow(/HTTP 503/);
      await expect(driver.runOne()).rejects.toThrow(/HTTP 503/);
      expect(await jobs(env.leaderDb)).toEqual([{ state: 'in_progress', attempts: 3 }]);
      expect(await outcomes(env.leaderDb)).toEqual(['started:']);
      down = false;
      expect(await driver.runUntilIdle()).toHaveLength(3);
      expect(await outcomes(env.leaderDb)).toEqual(Array(3).fill('finished:'));
      expect(await batchCount(env)).toBe(3);
    });

    it('gives up a job whose reports reach the expiry age while the helper is down: those report_dropped, the younger one aggregated in a new job', async () => {
      const env = await setup(2);
      // One report a day older in the leader's store (the helper never sees this column).
      await env.leaderDb.query(
        'UPDATE reports SET time = time - $1 WHERE report_id = (SELECT report_id FROM reports ORDER BY report_id LIMIT 1)',
        [DAY],
      );
      const helper = { down: true };
      const at = outageDriver(env, helper, AGE + DAY + LEASE);
      await expect(at(0).runOne()).rejects.toThrow(/fetch failed/);
      await expect(at(1).runOne()).rejects.toThrow(/fetch failed/);
      const dropped = await at(2).runOne();
      expect(dropped).toMatchObject({ finished: 0, failed: 1, applied: true });
      expect(dropped?.abandoned).toMatch(/expiry age .*fetch failed/);
      helper.down = false;
      expect(await at(2).runOne()).toMatchObject({ finished: 1, failed: 0, applied: true });
      expect((await outcomes(env.leaderDb)).sort()).toEqual(['failed:report_dropped', 'finished:']);
      expect((await jobs(env.leaderDb)).map((j) => j.state).sort()).toEqual([
        'abandoned',
        'finished',
      ]);
      expect(await batchCount(env)).toBe(1);
    });

    it('loses nothing to a helper outage longer than the old attempt bound (12 leases): the job completes once the helper is back', async () => {
      const env = await setup(2);
      const helper = { down: true };
      const at = outageDriver(env, helper, 14 * DAY);
      for (let lease = 0; lease < 12; lease += 1) {
        await expect(at(lease).runOne()).rejects.toThrow(/fetch failed/);
      }
      expect(await outcomes(env.leaderDb)).toEqual(['started:', 'started:']);
      helper.down = false;
      expect(await at(12).runOne()).toMatchObject({ finished: 2, failed: 0, applied: true });
      expect(await jobs(env.leaderDb)).toEqual([{ state: 'finished', attempts: 13 }]);
      expect(await outcomes(env.leaderDb)).toEqual(['finished:', 'finished:']);
      expect(await batchCount(env)).toBe(2);
    });

    it("refuses to add a job to a bucket frozen between the helper's answer and the commit: its reports failed batch_collected, the bucket unchanged", async () => {
      const env = await setup(3);
      const first = aggregationDriver({ ...env.base, maxReportsPerJob: 1 });
      expect(await first.runOne()).toMatchObject({ finished: 1, applied: true });
      const frozenAfterAnswer = aggregationDriver({
        ...env.base,
        beforeCommit: async () => {
          await env.leaderDb.query('UPDATE batch_aggregations SET collected = true');
        },
      });
      const before = await aggregationDriver(env.base).batch(START, START + DAY);
      expect(await frozenAfterAnswer.runOne()).toMatchObject({
        finished: 0,
        failed: 2,
        applied: true,
      });
      expect((await outcomes(env.leaderDb)).sort()).toEqual([
        'failed:batch_collected',
        'failed:batch_collected',
        'finished:',
      ]);
      expect(await aggregationDriver(env.base).batch(START, START + DAY)).toEqual(before);
    });

    it('a wrong token (403) is not final: retried, and completed once the token is right', async () => {
      const env = await setup(3);
      const wrong = aggregationDriver({
        ...env.base,
        helper: { ...env.base.helper, token: `${env.base.helper.token}x` },
      });
      await expect(wrong.runOne()).rejects.toThrow(HelperJobFailed);
      const later = aggregationDriver({ ...env.base, now: () => NOW + LEASE });
      expect(await later.runOne()).toMatchObject({ finished: 3, applied: true });
      expect(await jobs(env.leaderDb)).toEqual([{ state: 'finished', attempts: 2 }]);
      expect(await batchCount(env)).toBe(3);
    });

    it('drops unclaimed reports in a bucket a collection froze (batch_collected); the bucket keeps its sums', async () => {
      const env = await setup(3);
      const one = aggregationDriver({ ...env.base, maxReportsPerJob: 1 });
      expect(await one.runOne()).toMatchObject({ finished: 1, applied: true });
      await env.leaderDb.query('UPDATE batch_aggregations SET collected = true');
      expect(await one.runOne()).toBeNull();
      expect((await outcomes(env.leaderDb)).sort()).toEqual([
        'failed:batch_collected',
        'failed:batch_collected',
        'finished:',
      ]);
      expect(await batchCount(env)).toBe(1);
    });

    it('drops reports past the expiry age before claiming them (report_dropped) and aggregates the rest', async () => {
      const env = await setup(3);
      const keeps = aggregationDriver({ ...env.base, reportExpiryAgeSeconds: AGE });
      const drops = aggregationDriver({ ...env.base, reportExpiryAgeSeconds: AGE - 1 });
      expect(await drops.runOne()).toBeNull();
      expect(await outcomes(env.leaderDb)).toEqual(Array(3).fill('failed:report_dropped'));
      expect(await keeps.runOne()).toBeNull();
      expect(await batchCount(env)).toBe(0);

      const fresh = await setup(2);
      const run = await aggregationDriver({
        ...fresh.base,
        reportExpiryAgeSeconds: AGE,
      }).runOne();
      expect(run).toMatchObject({ finished: 2, failed: 0, applied: true });
    });
  });
}
