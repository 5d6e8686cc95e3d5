/**
 * The helper as a server over real HTTP on 127.0.0.1, with its own database (PGlite in
 * helper-http.test.ts, PostgreSQL in helper-http.postgres.test.ts): the leader's
 * pure steps drive aggregation jobs against it and collect a batch, and the sums equal the plain
 * sums. Refused: a wrong or missing DAP-Auth-Token, another task, a replayed report id (answered
 * report_replayed, counted once), a job id reused with another request, a count that does not
 * match, a batch below the minimum size, a second query of a collected batch, a report added to
 * it later (batch_collected). A retried job or aggregate share request gets the same bytes.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../shared-db/db.ts';
import { openCollection } from '../collector/open-collection.ts';
import { loadOrCreateKeypairs } from '../db/hpke-keys.ts';
import { aggregationJobInitReqCodec } from '../dap/aggregation.ts';
import { aggregateShareCodec } from '../dap/collection.ts';
import { decode, encode } from '../dap/codec.ts';
import { generateHpkeKeypair, type HpkeKeypair } from '../dap/hpke.ts';
import { reportCodec, type Report } from '../dap/upload.ts';
import { helperSchema } from '../helper/db/schema.ts';
import { buildHelperServer } from '../helper/server.ts';
import type { HelperTaskDefinition } from '../helper/task-definition.ts';
import { startAggregationJob, type LeaderTask } from '../leader/aggregation-job.ts';
import { aggregateShareRequest } from '../leader/collection.ts';
import { assembleCollection } from './assemble-collection.ts';
import { testTask } from './categories.ts';
import type { FreshDb } from './databases.ts';
import { newHelperTask } from './helper-task.ts';
import {
  aggregateShareOf,
  newJobId,
  postAggregateShareReq,
  putJob,
  runJob,
  type HelperEndpoint,
} from './helper-http.ts';
import { uploadWithRealClient } from './real-client.ts';
import { addToBatch, emptyBatch, type BatchAggregation } from '../vdaf/batch-aggregation.ts';
import { sumVecFor } from '../vdaf/task.ts';

const DAY = 86_400;
const EPOCH_DAY = 20_428; // 2025-12-06
const interval = { start: EPOCH_DAY * DAY, duration: DAY };
const categories = testTask([4, 5]);
const vdaf = sumVecFor(categories);
const measurements = [
  [1, 3, 10, 0, 0, 0],
  [1, 50, 240, 1, 1, 1],
  [0, 0, 0, 1, 7, 2],
  [1, 9, 0, 1, 2, 30],
];
const TOKEN = 'a-test-token-of-sufficient-length';

const problemType = async (response: Response) =>
  ((await response.json()) as { type: string }).type.replace('urn:ietf:params:ppm:dap:error:', '');

function leaderBatch(outputShares: ReadonlyMap<string, bigint[]>): BatchAggregation {
  let batch = emptyBatch(vdaf);
  for (const [id, share] of outputShares) {
    batch = addToBatch(vdaf, batch, new Uint8Array(Buffer.from(id, 'hex')), share);
  }
  return batch;
}

export function helperHttpSuite(driver: string, fresh: () => FreshDb): void {
  let db: Db;
  let app: FastifyInstance;
  let helper: HelperEndpoint;
  let task: HelperTaskDefinition;
  let leader: LeaderTask;
  let collectorKeys: HpkeKeypair[];
  let reports: Report[];
  let lateReport: Report;
  let futureReport: Report;
  /** The helper's clock: a day after the reports, unless a test moves it. */
  let clock = EPOCH_DAY * DAY + DAY;

  beforeAll(async () => {
    ({ task, collectorKeys } = await newHelperTask(vdaf, TOKEN));
    const { taskId, verifyKey } = task;
    db = await fresh()(helperSchema);
    app = await buildHelperServer(task, db, { now: () => clock });
    helper = { url: await app.listen({ port: 0, host: '127.0.0.1' }), token: TOKEN };
    leader = { vdaf, taskId, verifyKey, keypairs: [await generateHpkeKeypair(1)] };
    const uploads = await uploadWithRealClient({
      taskId,
      leaderKeys: leader.keypairs,
      helperKeys: await loadOrCreateKeypairs(db),
      vdaf: { type: 'sumVec', ...categories.vdaf },
      timePrecisionSeconds: DAY,
      measurements: [...measurements, [1, 1, 1, 1, 1, 1], [0, 1, 0, 1, 0, 1]],
      at: new Date((EPOCH_DAY * DAY + 3_600) * 1000),
    });
    const all = uploads.map((u) => decode(reportCodec, u.body, 'report'));
    reports = all.slice(0, measurements.length);
    lateReport = all[measurements.length]!;
    futureReport = all[measurements.length + 1]!;
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  describe(`the DAP helper over HTTP on ${driver}`, () => {
    it('refuses a missing or wrong DAP-Auth-Token and another task, before reading the job', async () => {
      const body = Uint8Array.of(1, 2, 3);
      const wrong = await putJob({ ...helper, token: `${TOKEN}x` }, task.taskId, newJobId(), body);
      expect(wrong.status).toBe(403);
      expect(await problemType(wrong)).toBe('unauthorizedRequest');
      const missing = await fetch(`${helper.url}/tasks/x/aggregate_shares`, { method: 'POST' });
      expect(missing.status).toBe(404);
      expect(await problemType(missing)).toBe('unrecognizedTask');
      const otherTask = await putJob(helper, new Uint8Array(32), newJobId(), body);
      expect(await problemType(otherTask)).toBe('unrecognizedTask');
      const garbage = await putJob(helper, task.taskId, newJobId(), body);
      expect(garbage.status).toBe(400);
      expect(await problemType(garbage)).toBe('invalidMessage');
    });

    it('aggregates jobs, answers a retry with the same bytes, refuses a replayed report id, and the collection sums exactly', async () => {
      const first = await runJob(leader, helper, reports.slice(0, 2));
      const retry = await putJob(
        helper,
        task.taskId,
        first.jobId,
        encode(
          aggregationJobInitReqCodec,
          (await startAggregationJob(leader, reports.slice(0, 2))).request,
        ),
      );
      expect(retry.status).toBe(200);
      expect(Buffer.from(await retry.arrayBuffer()).equals(first.responseBytes)).toBe(true);

      const second = await runJob(leader, helper, reports.slice(1));
      const replayedId = Buffer.from(reports[1]!.metadata.reportId).toString('hex');
      expect(second.finished.failed).toEqual([{ reportId: replayedId, error: 'report_replayed' }]);
      expect(second.finished.outputShares.size).toBe(2);

      const outputShares = new Map([
        ...first.finished.outputShares,
        ...second.finished.outputShares,
      ]);
      const batch = leaderBatch(outputShares);
      const shareReq = aggregateShareRequest(batch, interval, task.minBatchSize);
      const mismatch = await postAggregateShareReq(helper, task.taskId, {
        ...shareReq,
        reportCount: shareReq.reportCount + 1,
      });
      expect(await problemType(mismatch)).toBe('batchMismatch');
      const helperShare = await aggregateShareOf(
        await postAggregateShareReq(helper, task.taskId, shareReq),
      );
      const collection = await assembleCollection(
        vdaf,
        task.taskId,
        task.collectorHpkeConfig,
        batch,
        shareReq,
        helperShare,
        task.minBatchSize,
      );
      const sums = measurements.reduce((acc, m) => acc.map((x, i) => x + m[i]!));
      expect(await openCollection(vdaf, task.taskId, collectorKeys, interval, collection)).toEqual(
        sums,
      );

      const again = await postAggregateShareReq(helper, task.taskId, shareReq);
      expect(Buffer.from(await again.arrayBuffer())).toEqual(
        Buffer.from(encode(aggregateShareCodec, helperShare)),
      );
      const otherQuery = await postAggregateShareReq(helper, task.taskId, {
        ...shareReq,
        reportCount: shareReq.reportCount - 1,
      });
      expect(await problemType(otherQuery)).toBe('batchQueriedTooManyTimes');
      const late = await runJob(leader, helper, [lateReport]);
      const lateId = Buffer.from(lateReport.metadata.reportId).toString('hex');
      expect(late.finished.failed).toEqual([{ reportId: lateId, error: 'batch_collected' }]);
    });

    it('answers report_too_early for a report timestamped after its clock plus the tolerated skew, and counts nothing', async () => {
      const reportTime = futureReport.metadata.time;
      clock = reportTime - 61;
      try {
        const early = await runJob(leader, helper, [futureReport]);
        const earlyId = Buffer.from(futureReport.metadata.reportId).toString('hex');
        expect(early.finished.failed).toEqual([{ reportId: earlyId, error: 'report_too_early' }]);
        clock = reportTime - 60;
        const onTime = await runJob(leader, helper, [futureReport]);
        expect(onTime.finished.failed.map((f) => f.error)).not.toContain('report_too_early');
      } finally {
        clock = EPOCH_DAY * DAY + DAY;
      }
    });

    it('refuses a job id reused with another request, an unaligned interval and a batch below the minimum size', async () => {
      const jobId = newJobId();
      const job = await startAggregationJob(leader, reports.slice(0, 1));
      const other = await startAggregationJob(leader, reports.slice(2, 3));
      expect(
        (await putJob(helper, task.taskId, jobId, encode(aggregationJobInitReqCodec, job.request)))
          .status,
      ).toBe(200);
      const reused = await putJob(
        helper,
        task.taskId,
        jobId,
        encode(aggregationJobInitReqCodec, other.request),
      );
      expect(reused.status).toBe(400);
      expect(await problemType(reused)).toBe('invalidMessage');
      const empty = aggregateShareRequest(emptyBatch(vdaf), interval, 0);
      const unaligned = await postAggregateShareReq(helper, task.taskId, {
        ...empty,
        batchInterval: { start: interval.start + 1, duration: DAY },
      });
      expect(await problemType(unaligned)).toBe('batchInvalid');
      const tooLong = await postAggregateShareReq(helper, task.taskId, {
        ...empty,
        batchInterval: { start: interval.start, duration: 367 * DAY },
      });
      expect(await problemType(tooLong)).toBe('batchInvalid');
      const nextDay = await postAggregateShareReq(helper, task.taskId, {
        ...empty,
        batchInterval: { start: interval.start + DAY, duration: DAY },
      });
      expect(await problemType(nextDay)).toBe('invalidBatchSize');
    });
  });
}
