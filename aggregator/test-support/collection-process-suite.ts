/**
 * Collection end to end through the real processes (issue 21 acceptance): the real `@divviup/dap`
 * client uploads to `npm run union -- leader` over HTTP, the leader aggregates with
 * `npm run union -- helper` (a separate process, its own database), the collector creates a
 * collection job over HTTP and polls it. Noise off: the plain sums exactly. Noise on (a central ε
 * in both task files, the OS CSPRNG): both start lines say so, and the error is a nonzero integer
 * vector within the two aggregators' truncation bounds. Run on PGlite folders
 * (collection-process.test.ts) and on PostgreSQL databases (collection-process.postgres.test.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { openCollection } from '../collector/open-collection.ts';
import { decode } from '../dap/codec.ts';
import { collectionCodec } from '../dap/collection.ts';
import { centralNoiseFor, clipBoundsOf, entryKind } from '../vdaf/central-noise.ts';
import { sumVecFor } from '../vdaf/task.ts';
import { testTask } from './categories.ts';
import { pollCollectionJob, putCollectionJob } from './collector-http.ts';
import { stopProcess } from './helper-process.ts';
import { DAY, settledReports, startProcessPair, uploadReports, YESTERDAY } from './process-pair.ts';

const categories = testTask([3, 4]);
const vdaf = sumVecFor(categories);
const measurements = Array.from({ length: 4 }, (_, i) => [1, i + 2, 3 * i, 0, i, 1]);
const plainSums = measurements.reduce((acc, m) => acc.map((x, i) => x + m[i]!));

export interface ProcessDatabases {
  /** Extra environment for the helper and the leader (their database); empty: PGlite folders. */
  readonly helperEnv: Record<string, string>;
  readonly leaderEnv: Record<string, string>;
}

/** Runs one collection through both processes; returns the collector's sums. */
export async function collectThroughProcesses(
  dir: string,
  databases: ProcessDatabases,
  centralEpsilon: number | null,
): Promise<number[]> {
  mkdirSync(dir, { recursive: true });
  const pair = await startProcessPair(dir, categories, databases.helperEnv, {
    centralEpsilon,
    clipBounds: clipBoundsOf(categories),
  });
  const leader = await pair.startLeader({ LEADER_LEASE_SECONDS: '0', ...databases.leaderEnv });
  const noiseLine = centralEpsilon === null ? /central noise off/ : /central noise on: ε 1 /;
  expect(pair.helper.output()).toMatch(noiseLine);
  expect(leader.output()).toMatch(noiseLine);
  await uploadReports(pair, leader.url, measurements);
  await settledReports([leader], measurements.length);

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
  const again = await putCollectionJob(endpoint, randomBytes(16).toString('base64url'), yesterday);
  expect(again.status).toBe(400);
  expect(await stopProcess(leader.child)).toBe(0);
  expect(await stopProcess(pair.helper.child)).toBe(0);
  return openCollection(vdaf, pair.taskId, [pair.collector], yesterday, collection);
}

export async function expectPlainSums(dir: string, databases: ProcessDatabases): Promise<void> {
  expect(await collectThroughProcesses(path.join(dir, 'plain'), databases, null)).toEqual(
    plainSums,
  );
}

export async function expectNoisySums(dir: string, databases: ProcessDatabases): Promise<void> {
  const sums = await collectThroughProcesses(path.join(dir, 'noisy'), databases, 1);
  const { kinds } = centralNoiseFor(1, { vdaf, clipBounds: clipBoundsOf(categories) });
  const errors = sums.map((x, i) => x - plainSums[i]!);
  const within = (e: number, i: number) => Math.abs(e) <= 2 * kinds[entryKind(i)].tail;
  expect(errors.every((e, i) => Number.isInteger(e) && within(e, i))).toBe(true);
  expect(errors.some((e) => e !== 0)).toBe(true);
}
