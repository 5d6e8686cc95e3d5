/**
 * Collection jobs end to end over HTTP, each aggregator with its own database (PGlite in
 * leader-collection.test.ts, PostgreSQL in leader-collection.postgres.test.ts): the real
 * `@divviup/dap` client's reports uploaded to the leader's route → the leader's aggregation driver
 * with the helper server → a collection job the collector creates and polls → the collection
 * driver (freeze, `POST aggregate_shares`, store) → the collector opens the sums. Noise off: the
 * plain sums exactly. Noise on, seeded: exactly the plain sums plus each aggregator's own draws.
 * A batch below the minimum size is never released, a batch is collected once, and a job retried
 * after a crash gives the same bytes.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { UniformRandom } from '../../extension/protocol/noise.ts';
import { seededRandom } from '../../extension/protocol/noise-seeded-random.ts';
import { openCollection } from '../collector/open-collection.ts';
import type { Interval } from '../dap/batch.ts';
import { decode, encode } from '../dap/codec.ts';
import { aggregateShareCodec, collectionCodec, type Collection } from '../dap/collection.ts';
import { taskIdToString } from '../dap/task-id.ts';
import { MEDIA_TYPES } from '../dap/upload.ts';
import { aggregationDriver } from '../leader/aggregation-driver.ts';
import { collectionDriver, type CollectionDriverOptions } from '../leader/collection-driver.ts';
import { collectionJobRoute } from '../leader/collection-job-route.ts';
import { sqlCollectionStore } from '../leader/db/sql-collection-store.ts';
import { sqlReportStore } from '../leader/db/sql-report-store.ts';
import { uploadRoute } from '../leader/upload-route.ts';
import { centralNoiseFor, clipBoundsOf, drawCentralNoise } from '../vdaf/central-noise.ts';
import { sumVecFor } from '../vdaf/task.ts';
import { testTask } from './categories.ts';
import {
  deleteCollectionJob,
  pollCollectionJob,
  problemOf,
  putCollectionJob,
  type LeaderEndpoint,
} from './collector-http.ts';
import type { FreshDb } from './databases.ts';
import { startPipeline, type Pipeline } from './driver-pipeline.ts';

const DAY = 86_400;
const EPOCH_DAY = 20_428; // 2025-12-06
const DAY_START = EPOCH_DAY * DAY;
const theDay: Interval = { start: DAY_START, duration: DAY };
const categories = testTask([4, 5]);
const vdaf = sumVecFor(categories);
/** The calibration both aggregators use for this task (the default clip bounds). */
const calibration = { vdaf, clipBounds: clipBoundsOf(categories) };
const LEASE = 600;
/** Both aggregators' clock: the day has ended. */
const NOW = DAY_START + DAY;
const COLLECTOR_TOKEN = 'a-collector-token-of-sufficient-length';
const EPSILON = 1;

const measurementsOf = (n: number) =>
  Array.from({ length: n }, (_, i) => [1, i + 1, 2 * i, i % 2, (i * 7) % 50, 3]);
const plainSums = (rows: number[][]) => rows.reduce((acc, m) => acc.map((x, i) => x + m[i]!));
const newJobId = () => randomBytes(16).toString('base64url');

interface Env {
  readonly pipeline: Pipeline;
  readonly measurements: number[][];
  readonly leader: LeaderEndpoint;
  readonly driverOptions: CollectionDriverOptions;
  /** PUTs one upload body to the leader's upload route. */
  readonly upload: (body: Uint8Array) => Promise<Response>;
  /** The real client's uploads `setup` did not send (its `holdBack` last ones). */
  readonly heldBack: readonly Uint8Array[];
}

export function collectionSuite(driver: string, fresh: () => FreshDb): void {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(
    count: number,
    noise: { leader?: UniformRandom; helper?: UniformRandom } = {},
    holdBack = 0,
  ): Promise<Env> {
    const measurements = measurementsOf(count);
    const pipeline = await startPipeline({
      fresh: fresh(),
      categories,
      measurements,
      day: DAY_START,
      now: NOW,
      maxReportsPerJob: 10,
      leaseSeconds: LEASE,
      storeReports: false,
      ...(noise.helper ? { helperNoise: { epsilon: EPSILON, random: noise.helper } } : {}),
    });
    cleanups.push(() => pipeline.close());
    const t = pipeline.helperTask;
    const task = {
      taskId: t.taskId,
      vdaf,
      timePrecisionSeconds: DAY,
      minBatchSize: t.minBatchSize,
      collectorHpkeConfig: t.collectorHpkeConfig,
      centralEpsilon: noise.leader ? EPSILON : null,
      clipBounds: calibration.clipBounds,
    };
    const app: FastifyInstance = Fastify();
    uploadRoute(app, {
      taskId: t.taskId,
      publicShareLength: 2 * vdaf.xof.seedSize,
      tolerableClockSkewSeconds: 60,
      keypairs: () => pipeline.base.task.keypairs,
      store: sqlReportStore(pipeline.leaderDb, t.taskId, DAY),
      now: () => NOW,
      window: { reportExpiryAgeSeconds: 14 * DAY },
    });
    collectionJobRoute(app, {
      taskId: t.taskId,
      collectorAuthToken: COLLECTOR_TOKEN,
      timePrecisionSeconds: DAY,
      store: sqlCollectionStore(pipeline.leaderDb, vdaf, t.taskId, task),
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    cleanups.push(() => app.close());
    const upload = (body: Uint8Array) =>
      fetch(`${url}/tasks/${taskIdToString(t.taskId)}/reports`, {
        method: 'PUT',
        headers: { 'content-type': MEDIA_TYPES.report },
        body: Buffer.from(body),
      });
    const sent = pipeline.uploads.length - holdBack;
    for (const { body } of pipeline.uploads.slice(0, sent)) {
      expect((await upload(body)).status).toBe(200);
    }
    const driverOptions: CollectionDriverOptions = {
      db: pipeline.leaderDb,
      task,
      helper: pipeline.base.helper,
      fetch: (input, init) => fetch(input, init),
      now: () => NOW,
      leaseSeconds: LEASE,
      ...(noise.leader ? { random: noise.leader } : {}),
    };
    return {
      pipeline,
      measurements,
      leader: { url, taskId: t.taskId, token: COLLECTOR_TOKEN },
      driverOptions,
      upload,
      heldBack: pipeline.uploads.slice(sent).map((u) => u.body),
    };
  }

  async function collected(env: Env, jobId: string): Promise<Collection> {
    const response = await pollCollectionJob(env.leader, jobId);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(MEDIA_TYPES.collection);
    return decode(collectionCodec, new Uint8Array(await response.arrayBuffer()), 'collection');
  }

  const open = (env: Env, query: Interval, collection: Collection) =>
    openCollection(vdaf, env.leader.taskId, env.pipeline.collectorKeys, query, collection);

  describe(`collection jobs on ${driver}`, () => {
    it('noise off: uploaded real-client reports are aggregated and collected through a collection job; the collector gets the plain sums exactly', async () => {
      const env = await setup(4);
      await aggregationDriver(env.pipeline.base).runUntilIdle();
      // Three days queried, reports on the middle one: the Collection names that day only.
      const query = { start: DAY_START - DAY, duration: 3 * DAY };
      const jobId = newJobId();
      expect((await putCollectionJob(env.leader, jobId, query)).status).toBe(201);
      expect((await putCollectionJob(env.leader, jobId, query)).status).toBe(201);
      expect((await pollCollectionJob(env.leader, jobId)).status).toBe(202);
      const late = collectionDriver({ ...env.driverOptions, now: () => NOW });
      expect(await late.runUntilIdle()).toEqual([]); // the query ends tomorrow: not due yet
      const runs = await collectionDriver({
        ...env.driverOptions,
        now: () => NOW + DAY,
      }).runUntilIdle();
      expect(runs).toEqual([{ jobId, outcome: 'finished', applied: true }]);
      const collection = await collected(env, jobId);
      expect(collection.reportCount).toBe(4);
      expect(collection.interval).toEqual(theDay);
      expect(await open(env, query, collection)).toEqual(plainSums(env.measurements));
    });

    it('noise on, seeded: the released sums are the plain sums plus exactly each aggregator’s own draws at the declared scale', async () => {
      const env = await setup(3, { leader: seededRandom(11), helper: seededRandom(12) });
      await aggregationDriver(env.pipeline.base).runUntilIdle();
      const jobId = newJobId();
      await putCollectionJob(env.leader, jobId, theDay);
      await collectionDriver(env.driverOptions).runUntilIdle();
      const sums = await open(env, theDay, await collected(env, jobId));
      const noise = centralNoiseFor(EPSILON, calibration);
      const leaderNoise = drawCentralNoise(noise, seededRandom(11));
      const helperNoise = drawCentralNoise(noise, seededRandom(12));
      const plain = plainSums(env.measurements);
      expect(sums).toEqual(plain.map((x, i) => x + leaderNoise[i]! + helperNoise[i]!));
      expect(sums).not.toEqual(plain);
    });

    it('each aggregator’s noise alone is its own draws: a helper without noise leaves exactly the leader’s', async () => {
      const env = await setup(3, { leader: seededRandom(31) });
      await aggregationDriver(env.pipeline.base).runUntilIdle();
      const jobId = newJobId();
      await putCollectionJob(env.leader, jobId, theDay);
      await collectionDriver(env.driverOptions).runUntilIdle();
      const sums = await open(env, theDay, await collected(env, jobId));
      const leaderNoise = drawCentralNoise(centralNoiseFor(EPSILON, calibration), seededRandom(31));
      expect(sums).toEqual(plainSums(env.measurements).map((x, i) => x + leaderNoise[i]!));
    });

    it('a batch below the minimum batch size is never released: the job ends invalidBatchSize and the helper is never asked', async () => {
      const env = await setup(2); // minimum 3
      await aggregationDriver(env.pipeline.base).runUntilIdle();
      const jobId = newJobId();
      await putCollectionJob(env.leader, jobId, theDay);
      const runs = await collectionDriver(env.driverOptions).runUntilIdle();
      expect(runs).toEqual([{ jobId, outcome: 'refused', problem: 'invalidBatchSize' }]);
      const poll = await pollCollectionJob(env.leader, jobId);
      expect(poll.status).toBe(400);
      expect(await problemOf(poll)).toBe('invalidBatchSize');
      const asked = await env.pipeline.helperDb.query('SELECT 1 FROM aggregate_share_jobs');
      expect(asked.rows).toEqual([]);
    });

    it('a batch with reports not yet aggregated waits; nothing is frozen until they are', async () => {
      const env = await setup(3);
      const jobId = newJobId();
      await putCollectionJob(env.leader, jobId, theDay);
      const driver = collectionDriver(env.driverOptions);
      expect(await driver.runOne()).toMatchObject({ jobId, outcome: 'waiting' });
      expect((await pollCollectionJob(env.leader, jobId)).status).toBe(202);
      await aggregationDriver(env.pipeline.base).runUntilIdle();
      const later = collectionDriver({ ...env.driverOptions, now: () => NOW + LEASE });
      expect(await later.runUntilIdle()).toEqual([{ jobId, outcome: 'finished', applied: true }]);
      expect(await open(env, theDay, await collected(env, jobId))).toEqual(
        plainSums(env.measurements),
      );
    });

    it('each batch is collected once: the same interval again is batchQueriedTooManyTimes, an overlapping one batchOverlap', async () => {
      const env = await setup(3);
      await aggregationDriver(env.pipeline.base).runUntilIdle();
      const jobId = newJobId();
      await putCollectionJob(env.leader, jobId, theDay);
      const again = await putCollectionJob(env.leader, newJobId(), theDay);
      expect(again.status).toBe(400);
      expect(await problemOf(again)).toBe('batchQueriedTooManyTimes');
      await collectionDriver(env.driverOptions).runUntilIdle();
      const overlapping = await putCollectionJob(env.leader, newJobId(), {
        start: DAY_START,
        duration: 2 * DAY,
      });
      expect(await problemOf(overlapping)).toBe('batchOverlap');
      const after = await putCollectionJob(env.leader, newJobId(), theDay);
      expect(await problemOf(after)).toBe('batchQueriedTooManyTimes');
      const otherQuery = await putCollectionJob(env.leader, jobId, {
        start: DAY_START,
        duration: 2 * DAY,
      });
      expect(await problemOf(otherQuery)).toBe('invalidMessage');
    });

    it('an upload into a collected batch is refused at once (reportRejected) and stored nowhere; a retry of an accepted upload is still answered 200', async () => {
      const env = await setup(4, {}, 1);
      await aggregationDriver(env.pipeline.base).runUntilIdle();
      await putCollectionJob(env.leader, newJobId(), theDay);
      await collectionDriver(env.driverOptions).runUntilIdle();
      const reportsBefore = await env.pipeline.leaderDb.query('SELECT report_id FROM reports');
      const late = await env.upload(env.heldBack[0]!);
      expect(late.status).toBe(400);
      expect(await problemOf(late)).toBe('reportRejected');
      const retry = await env.upload(env.pipeline.uploads[0]!.body);
      expect(retry.status).toBe(200);
      const reportsAfter = await env.pipeline.leaderDb.query('SELECT report_id FROM reports');
      expect(reportsAfter.rows).toHaveLength(reportsBefore.rows.length);
      expect(reportsAfter.rows).toHaveLength(3);
    });

    it('a collection job retried after a crash gives the same bytes: the stored request, the helper’s stored noisy share, the leader’s share sealed once', async () => {
      const env = await setup(3, { leader: seededRandom(41), helper: seededRandom(42) });
      await aggregationDriver(env.pipeline.base).runUntilIdle();
      const jobId = newJobId();
      await putCollectionJob(env.leader, jobId, theDay);
      let helperAnswer: Uint8Array = new Uint8Array(0);
      const dying = collectionDriver({
        ...env.driverOptions,
        beforeCommit: (answer) => {
          helperAnswer = answer;
          return Promise.reject(new Error('killed before storing the collection'));
        },
      });
      await expect(dying.runOne()).rejects.toThrow('killed before storing');
      const { rows } = await env.pipeline.leaderDb.query<{ leader_share: Uint8Array }>(
        'SELECT leader_share FROM collection_jobs',
      );
      const leaderShare = new Uint8Array(rows[0]!.leader_share);
      expect((await pollCollectionJob(env.leader, jobId)).status).toBe(202);
      expect(await collectionDriver(env.driverOptions).runOne()).toBeNull(); // within the lease
      const retry = collectionDriver({
        ...env.driverOptions,
        now: () => NOW + LEASE,
        random: seededRandom(99), // a retry that drew anew would change the sums
      });
      expect(await retry.runUntilIdle()).toEqual([{ jobId, outcome: 'finished', applied: true }]);
      const collection = await collected(env, jobId);
      expect(encode(aggregateShareCodec, collection.helperEncryptedAggregateShare)).toEqual(
        helperAnswer,
      );
      expect(encode(aggregateShareCodec, collection.leaderEncryptedAggregateShare)).toEqual(
        leaderShare,
      );
      const noise = centralNoiseFor(EPSILON, calibration);
      const leaderNoise = drawCentralNoise(noise, seededRandom(41));
      const helperNoise = drawCentralNoise(noise, seededRandom(42));
      expect(await open(env, theDay, collection)).toEqual(
        plainSums(env.measurements).map((x, i) => x + leaderNoise[i]! + helperNoise[i]!),
      );
    });

    it('DELETE forgets a job: before its freeze the interval is free again, after it the batch stays collected', async () => {
      const env = await setup(3);
      const pending = newJobId();
      await putCollectionJob(env.leader, pending, theDay);
      expect((await deleteCollectionJob(env.leader, pending)).status).toBe(204);
      expect((await pollCollectionJob(env.leader, pending)).status).toBe(404);
      expect((await deleteCollectionJob(env.leader, pending)).status).toBe(404);
      await aggregationDriver(env.pipeline.base).runUntilIdle();
      const jobId = newJobId();
      expect((await putCollectionJob(env.leader, jobId, theDay)).status).toBe(201);
      await collectionDriver(env.driverOptions).runUntilIdle();
      expect((await pollCollectionJob(env.leader, jobId)).status).toBe(200);
      expect((await deleteCollectionJob(env.leader, jobId)).status).toBe(204);
      expect((await pollCollectionJob(env.leader, jobId)).status).toBe(404);
      const again = await putCollectionJob(env.leader, newJobId(), theDay);
      expect(await problemOf(again)).toBe('batchQueriedTooManyTimes');
    });

    it('refuses the collector without the right token or task, unaligned intervals and unknown jobs', async () => {
      const env = await setup(3);
      const jobId = newJobId();
      const wrong = await putCollectionJob(env.leader, jobId, theDay, {
        token: `${COLLECTOR_TOKEN}x`,
      });
      expect([wrong.status, await problemOf(wrong)]).toEqual([403, 'unauthorizedRequest']);
      const otherTask = await putCollectionJob(env.leader, jobId, theDay, {
        taskId: new Uint8Array(32),
      });
      expect([otherTask.status, await problemOf(otherTask)]).toEqual([404, 'unrecognizedTask']);
      const unaligned = await putCollectionJob(env.leader, jobId, {
        start: DAY_START + 1,
        duration: DAY,
      });
      expect(await problemOf(unaligned)).toBe('batchInvalid');
      const badId = await putCollectionJob(env.leader, 'short', theDay);
      expect(await problemOf(badId)).toBe('invalidMessage');
      expect((await pollCollectionJob(env.leader, jobId)).status).toBe(404);
      const poll = await pollCollectionJob(env.leader, jobId, 'not-the-token-at-all');
      expect(poll.status).toBe(403);
    });
  });
}
