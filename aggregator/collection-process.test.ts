/**
 * Collection end to end through the real processes (issue 21 acceptance): the real `@divviup/dap`
 * client uploads to `npm run union -- leader` over HTTP, the leader aggregates with
 * `npm run union -- helper` (a separate process, its own PGlite), the collector creates a
 * collection job over HTTP and polls it, and opens the plain sums exactly (no central ε in the
 * task files: noise off, as both start log lines say).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { openCollection } from './collector/open-collection.ts';
import { decode } from './dap/codec.ts';
import { collectionCodec } from './dap/collection.ts';
import { testTask } from './test-support/categories.ts';
import { pollCollectionJob, putCollectionJob } from './test-support/collector-http.ts';
import { killProcesses, stopProcess } from './test-support/helper-process.ts';
import {
  DAY,
  finishedReports,
  startProcessPair,
  uploadReports,
  YESTERDAY,
} from './test-support/process-pair.ts';
import { sumVecFor } from './vdaf/task.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'crowdsell-collection-'));
afterAll(() => {
  killProcesses();
  rmSync(dir, { recursive: true, force: true });
});

const categories = testTask([3, 4]);
const measurements = Array.from({ length: 4 }, (_, i) => [1, i + 2, 3 * i, 0, i, 1]);
const plainSums = measurements.reduce((acc, m) => acc.map((x, i) => x + m[i]!));

describe('collection through the real leader and helper processes', () => {
  it('uploads over HTTP, aggregated by the two processes, collected through a collection job: the plain sums exactly', async () => {
    const pair = await startProcessPair(dir, categories, {});
    expect(pair.helper.output()).toMatch(/central noise off/);
    const leader = await pair.startLeader({ LEADER_LEASE_SECONDS: '0' });
    expect(leader.output()).toMatch(/central noise off/);
    await uploadReports(pair, leader.url, measurements);
    await finishedReports([leader], measurements.length);

    const endpoint = { url: leader.url, taskId: pair.taskId, token: pair.collectorToken };
    const jobId = randomBytes(16).toString('base64url');
    const yesterday = { start: YESTERDAY, duration: DAY };
    expect((await putCollectionJob(endpoint, jobId, yesterday)).status).toBe(201);
    await leader.waitFor(new RegExp(`collection: ${jobId} collected`));
    const poll = await pollCollectionJob(endpoint, jobId);
    expect(poll.status).toBe(200);
    const collection = decode(
      collectionCodec,
      new Uint8Array(await poll.arrayBuffer()),
      'collection',
    );
    expect(collection.reportCount).toBe(measurements.length);
    expect(collection.interval).toEqual(yesterday);
    const vdaf = sumVecFor(categories);
    expect(
      await openCollection(vdaf, pair.taskId, [pair.collector], yesterday, collection),
    ).toEqual(plainSums);
    const again = await putCollectionJob(
      endpoint,
      randomBytes(16).toString('base64url'),
      yesterday,
    );
    expect(again.status).toBe(400);

    expect(await stopProcess(leader.child)).toBe(0);
    expect(await stopProcess(pair.helper.child)).toBe(0);
  }, 180_000);
});
