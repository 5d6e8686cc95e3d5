/**
 * The leader's upload endpoint and both aggregators' HPKE config endpoint over HTTP on 127.0.0.1,
 * driven by the real `@divviup/dap` 0.9.1 client with its own fetch.
 */
import { DAPError, Task } from '@divviup/dap';
import Fastify, { type FastifyInstance } from 'fastify';
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decode, encode } from '../dap/codec.ts';
import { hpkeConfigRoute } from '../dap/hpke-config-route.ts';
import { generateHpkeKeypair, type HpkeKeypair } from '../dap/hpke.ts';
import { taskIdToString } from '../dap/task-id.ts';
import { hpkeConfigListCodec, MEDIA_TYPES, reportCodec } from '../dap/upload.ts';
import { prepareReport } from '../test-support/in-process.ts';
import { sumVecFor } from '../vdaf/task.ts';
import { testTask } from '../test-support/categories.ts';
import type { Db } from '../../shared-db/db.ts';
import { freshPgliteDb } from '../test-support/databases.ts';
import { leaderSchema } from './db/schema.ts';
import { sqlReportStore } from './db/sql-report-store.ts';
import { memoryReportStore, type LeaderReportStore } from './report-store.ts';
import { uploadRoute } from './upload-route.ts';

const NOW = Date.UTC(2026, 11, 6, 12) / 1000;
const task = testTask([1, 2]);
const vdaf = sumVecFor(task);
const taskId = new Uint8Array(randomBytes(32));
const verifyKey = new Uint8Array(randomBytes(16));
const measurement = [1, 12, 30, 0, 0, 0];
const EXPIRY_AGE = 14 * 86_400;

let leaderKeys: HpkeKeypair[];
let helperKeys: HpkeKeypair[];
let store: LeaderReportStore;
let leader: FastifyInstance;
let helper: FastifyInstance;
let leaderUrl: string;
let helperUrl: string;
/** The leader's clock (seconds); NOW unless a test needs it to follow the client's wall clock. */
let leaderNow = NOW;

const client = (id: Uint8Array = taskId) =>
  new Task({
    type: 'sumVec',
    ...task.vdaf,
    id: Buffer.from(id),
    leader: leaderUrl,
    helper: helperUrl,
    timePrecisionSeconds: 3600,
  });

beforeAll(async () => {
  helperKeys = [await generateHpkeKeypair(1)];
  leader = Fastify();
  helper = Fastify();
  hpkeConfigRoute(leader, { taskId, keypairs: () => leaderKeys });
  uploadRoute(leader, {
    taskId,
    publicShareLength: 2 * vdaf.xof.seedSize,
    tolerableClockSkewSeconds: 60,
    keypairs: () => leaderKeys,
    store: { put: (r) => store.put(r), list: () => store.list() },
    now: () => leaderNow,
    // The SQL store's refusal of collected batches is tested in the collection suite.
    window: { reportExpiryAgeSeconds: EXPIRY_AGE },
  });
  hpkeConfigRoute(helper, { taskId, keypairs: () => helperKeys });
  leaderUrl = await leader.listen({ host: '127.0.0.1', port: 0 });
  helperUrl = await helper.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await leader.close();
  await helper.close();
});

beforeEach(async () => {
  leaderNow = NOW;
  leaderKeys = [await generateHpkeKeypair(10)];
});

const opened: Db[] = [];
afterAll(async () => {
  await Promise.all(opened.map((db) => db.close()));
});

const stores: [string, () => Promise<LeaderReportStore>][] = [
  ['in memory', () => Promise.resolve(memoryReportStore())],
  [
    "on the leader's own database (PGlite)",
    async () => {
      const db = await freshPgliteDb(leaderSchema);
      opened.push(db);
      return sqlReportStore(db, taskId, 3600);
    },
  ],
];

describe.each(stores)('leader upload and HPKE config endpoints, reports %s', (_, makeStore) => {
  beforeEach(async () => {
    store = await makeStore();
  });
  it('accepts a real client upload that both aggregators can then open and prepare', async () => {
    await client().sendMeasurement(measurement, { timestamp: new Date(NOW * 1000) });
    const stored = await store.list();
    expect(stored).toHaveLength(1);
    const report = decode(reportCodec, stored[0]!.bytes, 'report');
    expect(report.metadata.time).toBe(NOW);
    const shares = await prepareReport({ vdaf, taskId, verifyKey, leaderKeys, helperKeys }, report);
    const sum = vdaf.unshard(
      null,
      [vdaf.aggregate(null, [shares.leader]), vdaf.aggregate(null, [shares.helper])],
      1,
    );
    expect(sum).toEqual(measurement);
  });

  it('serves the HPKE config list, and refuses a task it does not run', async () => {
    const ok = await fetch(`${leaderUrl}/hpke_config?task_id=${taskIdToString(taskId)}`);
    expect(ok.headers.get('content-type')).toBe(MEDIA_TYPES.hpkeConfigList);
    const list = decode(hpkeConfigListCodec, new Uint8Array(await ok.arrayBuffer()), 'list');
    expect(list).toEqual([leaderKeys[0]!.config]);
    const other = await fetch(
      `${helperUrl}/hpke_config?task_id=${taskIdToString(new Uint8Array(32))}`,
    );
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({
      type: 'urn:ietf:params:ppm:dap:error:unrecognizedTask',
    });
  });

  it('answers problems the client understands: unknown task, report from the future, report past the expiry age', async () => {
    const unknown = client(new Uint8Array(32).fill(7)).sendMeasurement(measurement);
    await expect(unknown).rejects.toBeInstanceOf(DAPError);
    await expect(unknown).rejects.toMatchObject({ shortType: 'unrecognizedTask' });
    const early = client().sendMeasurement(measurement, {
      timestamp: new Date((NOW + 7200) * 1000),
    });
    await expect(early).rejects.toMatchObject({ shortType: 'reportTooEarly' });
    const old = client().sendMeasurement(measurement, {
      timestamp: new Date((NOW - EXPIRY_AGE - 3600) * 1000),
    });
    await expect(old).rejects.toMatchObject({
      shortType: 'reportRejected',
      detail: expect.stringContaining('report expiry age') as unknown,
    });
    expect(await store.list()).toEqual([]);
    await client().sendMeasurement(measurement, {
      timestamp: new Date((NOW - EXPIRY_AGE + 3600) * 1000),
    });
    expect(await store.list()).toHaveLength(1);
  });

  it('lets the client recover from a key rotation through outdatedConfig', async () => {
    // @divviup/dap regenerates the report after outdatedConfig without the caller's timestamp,
    // from the wall clock (Task.sendMeasurement): the leader reads the same clock here, so the
    // test holds whatever day it runs on.
    leaderNow = Math.floor(Date.now() / 1000);
    const c = client();
    await c.fetchKeyConfiguration();
    leaderKeys = [await generateHpkeKeypair(11)];
    await c.sendMeasurement(measurement);
    const [stored] = await store.list();
    expect(decode(reportCodec, stored!.bytes, 'report').leaderEncryptedInputShare.configId).toBe(
      11,
    );
  });

  it('stores a byte-identical retry once and refuses another report under the same id', async () => {
    const report = await client().generateReport(measurement, { timestamp: new Date(NOW * 1000) });
    const url = `${leaderUrl}/tasks/${taskIdToString(taskId)}/reports`;
    const put = (body: Uint8Array) =>
      fetch(url, {
        method: 'PUT',
        headers: { 'content-type': MEDIA_TYPES.report },
        body: Buffer.from(body),
      });
    const bytes = new Uint8Array(report.encode());
    expect((await put(bytes)).status).toBe(200);
    expect((await put(bytes)).status).toBe(200);
    expect(await store.list()).toHaveLength(1);
    const decoded = decode(reportCodec, bytes, 'report');
    const altered = encode(reportCodec, {
      ...decoded,
      publicShare: new Uint8Array(decoded.publicShare.length),
    });
    const conflict = await put(altered);
    expect(conflict.status).toBe(400);
    expect(await conflict.json()).toMatchObject({
      type: 'urn:ietf:params:ppm:dap:error:reportRejected',
    });
    const malformed = await put(bytes.subarray(0, 40));
    expect(await malformed.json()).toMatchObject({
      type: 'urn:ietf:params:ppm:dap:error:invalidMessage',
    });
    const wrongShare = await put(
      encode(reportCodec, { ...decoded, publicShare: new Uint8Array(3) }),
    );
    const problem = (await wrongShare.json()) as { detail: string };
    expect(problem.detail).toContain('public share');
  });
});
