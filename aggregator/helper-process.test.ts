/**
 * `npm run union -- helper` as a real process: a task file, its own port and data folder (PGlite).
 * The leader's pure steps drive a job over HTTP with reports the real client sealed to the HPKE
 * config the process serves; the helper's aggregate share gives the exact sums. After a restart on
 * the same folder the process serves the same HPKE config (the key persisted in its database).
 * Also: a task file with a bad field is refused with a sentence naming the field.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../shared-db/test-support/free-port.ts';
import { openCollection } from './collector/open-collection.ts';
import { decode, encode } from './dap/codec.ts';
import { generateHpkeKeypair } from './dap/hpke.ts';
import { hpkeConfigCodec, reportCodec } from './dap/upload.ts';
import { helperOptionsFromEnv } from './helper/run-helper.ts';
import { parseHelperTask, TaskFileError } from './helper/task-definition.ts';
import { aggregateShareRequest } from './leader/collection.ts';
import { assembleCollection } from './test-support/assemble-collection.ts';
import { testTask } from './test-support/categories.ts';
import {
  aggregateShareOf,
  helperConfigs,
  postAggregateShareReq,
  runJob,
} from './test-support/helper-http.ts';
import { killProcesses, startProcess, stopProcess } from './test-support/helper-process.ts';
import { uploadWithRealClient } from './test-support/real-client.ts';
import { addToBatch, emptyBatch } from './vdaf/batch-aggregation.ts';
import { sumVecFor } from './vdaf/task.ts';

const DAY = 86_400;
/**
 * Yesterday (UTC): the helper process is the real CLI and judges report times by the wall clock,
 * so the reports and their batch are placed on a whole day that has already ended — never too
 * early, whatever day the test runs on.
 */
const EPOCH_DAY = Math.floor(Date.now() / 1000 / DAY) - 1;
const categories = testTask([1, 2]);
const vdaf = sumVecFor(categories);
const TOKEN = 'process-test-token-0123456789';
const dataDir = mkdtempSync(path.join(tmpdir(), 'crowdsell-helper-'));
afterAll(() => {
  killProcesses();
  rmSync(dataDir, { recursive: true, force: true });
});

function taskFile(taskId: Uint8Array, verifyKey: Uint8Array, collector: Uint8Array) {
  return {
    taskId: Buffer.from(taskId).toString('base64url'),
    leaderUrl: 'http://127.0.0.1:1/',
    verifyKey: Buffer.from(verifyKey).toString('base64url'),
    vdaf: categories.vdaf,
    timePrecisionSeconds: DAY,
    tolerableClockSkewSeconds: 60,
    minBatchSize: 2,
    aggregatorAuthToken: TOKEN,
    collectorHpkeConfig: Buffer.from(collector).toString('base64url'),
  };
}

describe('the helper process (npm run union -- helper)', () => {
  it('serves its own HPKE config, aggregates a job from the leader exactly and keeps its key across a restart', async () => {
    const taskId = new Uint8Array(randomBytes(32));
    const verifyKey = new Uint8Array(randomBytes(16));
    const collector = await generateHpkeKeypair(9);
    const file = path.join(dataDir, 'task.json');
    writeFileSync(
      file,
      JSON.stringify(taskFile(taskId, verifyKey, encode(hpkeConfigCodec, collector.config))),
    );
    const env = {
      HELPER_TASK_FILE: file,
      HELPER_PORT: String(await freePort()),
      HELPER_DATA_DIR: dataDir,
    };
    const first = await startProcess(env);
    const helper = { url: first.url, token: TOKEN };
    const helperKeys = (await helperConfigs(first.url, taskId)).map((config) => ({ config }));
    const leader = { vdaf, taskId, verifyKey, keypairs: [await generateHpkeKeypair(1)] };
    const measurements = [
      [1, 2, 3, 0, 0, 0],
      [0, 0, 0, 1, 4, 5],
      [1, 6, 7, 1, 8, 9],
    ];
    const uploads = await uploadWithRealClient({
      taskId,
      leaderKeys: leader.keypairs,
      helperKeys,
      vdaf: { type: 'sumVec', ...categories.vdaf },
      timePrecisionSeconds: DAY,
      measurements,
      at: new Date((EPOCH_DAY * DAY + 60) * 1000),
    });
    const reports = uploads.map((u) => decode(reportCodec, u.body, 'report'));
    const { finished } = await runJob(leader, helper, reports);
    let batch = emptyBatch(vdaf);
    for (const [id, share] of finished.outputShares) {
      batch = addToBatch(vdaf, batch, new Uint8Array(Buffer.from(id, 'hex')), share);
    }
    const interval = { start: EPOCH_DAY * DAY, duration: DAY };
    const shareReq = aggregateShareRequest(batch, interval, 2);
    const helperShare = await aggregateShareOf(
      await postAggregateShareReq(helper, taskId, shareReq),
    );
    const collection = await assembleCollection(
      vdaf,
      taskId,
      collector.config,
      batch,
      shareReq,
      helperShare,
      2,
    );
    const sums = measurements.reduce((acc, m) => acc.map((x, i) => x + m[i]!));
    expect(await openCollection(vdaf, taskId, [collector], interval, collection)).toEqual(sums);
    expect(await stopProcess(first.child)).toBe(0);

    const second = await startProcess(env);
    expect(await helperConfigs(second.url, taskId)).toEqual(helperKeys.map((k) => k.config));
    expect(await stopProcess(second.child)).toBe(0);
  }, 120_000);

  it("reads its own variables, never the union's DATABASE_URL", async () => {
    expect(() => helperOptionsFromEnv({})).toThrow(/HELPER_TASK_FILE: required/);
    const file = path.join(dataDir, 'env-task.json');
    const collector = await generateHpkeKeypair(3);
    writeFileSync(
      file,
      JSON.stringify(
        taskFile(new Uint8Array(32), new Uint8Array(16), encode(hpkeConfigCodec, collector.config)),
      ),
    );
    const union = 'postgres://union@127.0.0.1/crowdsell';
    const pglite = helperOptionsFromEnv({ HELPER_TASK_FILE: file, DATABASE_URL: union });
    expect(pglite.database).toEqual({
      driver: 'pglite',
      dataDir: path.join('.crowdsell-helper', 'db'),
    });
    expect(pglite.port).toBe(8788);
    const own = 'postgres://helper@127.0.0.1/helper';
    const postgres = helperOptionsFromEnv({
      HELPER_TASK_FILE: file,
      DATABASE_URL: union,
      HELPER_DATABASE_URL: own,
    });
    expect(postgres.database).toEqual({ driver: 'postgres', url: own });
  });

  it('refuses a task file with a bad field, naming it', () => {
    const good = taskFile(new Uint8Array(32), new Uint8Array(16), Uint8Array.of(1, 2, 3));
    expect(() => parseHelperTask({ ...good, verifyKey: 'AAAA' })).toThrow(/verifyKey: 16 bytes/);
    expect(() => parseHelperTask({ ...good, aggregatorAuthToken: 'short' })).toThrow(TaskFileError);
    expect(() => parseHelperTask({ ...good, extra: 1 })).toThrow(TaskFileError);
    expect(() => parseHelperTask(good)).toThrow(/collectorHpkeConfig does not decode/);
  });
});
