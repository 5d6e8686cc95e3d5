/**
 * The two aggregators as the real CLI processes (`npm run union -- helper` and `… leader`) for
 * tests: one task (random id, verify key and token, a collector keypair), both task files written
 * to a folder, reports the real `@divviup/dap` client sealed to the HPKE configs the processes
 * serve, uploaded over HTTP to a leader, and the collector's view of a day: the leader's batch
 * aggregation (read from its database once its processes have stopped) and the helper's
 * aggregate share for it, opened. The helper refuses an `AggregateShareReq` whose count or
 * checksum differs from its own, so an exact answer means both aggregated the same reports.
 */
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../../shared-db/db.ts';
import { freePort } from '../../shared-db/test-support/free-port.ts';
import { openCollection } from '../collector/open-collection.ts';
import { encode } from '../dap/codec.ts';
import { generateHpkeKeypair, type HpkeKeypair } from '../dap/hpke.ts';
import { taskIdToString } from '../dap/task-id.ts';
import { hpkeConfigCodec, MEDIA_TYPES } from '../dap/upload.ts';
import { aggregateShareRequest } from '../leader/collection.ts';
import { assembleCollection } from './assemble-collection.ts';
import { sqlAggregationStore } from '../leader/db/sql-aggregation-store.ts';
import type { CategoryTask } from '../vdaf/task.ts';
import { sumVecFor } from '../vdaf/task.ts';
import { aggregateShareOf, helperConfigs, postAggregateShareReq } from './helper-http.ts';
import { startProcess, type AggregatorProcess } from './helper-process.ts';
import { uploadWithRealClient } from './real-client.ts';

export const DAY = 86_400;
/**
 * Yesterday (UTC): the processes judge report times by the wall clock, so the reports and their
 * batch are placed on a whole day that has already ended — never too early nor expired (14 days),
 * whatever day the test runs on.
 */
export const YESTERDAY = (Math.floor(Date.now() / 1000 / DAY) - 1) * DAY;
const MIN_BATCH_SIZE = 2;

export interface ProcessPair {
  readonly categories: CategoryTask;
  readonly taskId: Uint8Array;
  readonly token: string;
  readonly collector: HpkeKeypair;
  /** The collector's `DAP-Auth-Token` for the leader's collection jobs. */
  readonly collectorToken: string;
  readonly helper: AggregatorProcess;
  readonly leaderTaskFile: string;
  /** Starts a leader process on this task with extra environment (its database, test hooks). */
  startLeader(env: Record<string, string>): Promise<AggregatorProcess>;
}

export async function startProcessPair(
  dir: string,
  categories: CategoryTask,
  helperEnv: Record<string, string>,
  /** Task fields both task files get besides the generated ones (e.g. `centralEpsilon`). */
  taskExtras: Readonly<Record<string, unknown>> = {},
): Promise<ProcessPair> {
  const taskId = new Uint8Array(randomBytes(32));
  const token = randomBytes(24).toString('base64url');
  const collectorToken = randomBytes(24).toString('base64url');
  const collector = await generateHpkeKeypair(5);
  const shared = {
    taskId: Buffer.from(taskId).toString('base64url'),
    verifyKey: randomBytes(16).toString('base64url'),
    vdaf: categories.vdaf,
    timePrecisionSeconds: DAY,
    tolerableClockSkewSeconds: 60,
    minBatchSize: MIN_BATCH_SIZE,
    aggregatorAuthToken: token,
    collectorHpkeConfig: Buffer.from(encode(hpkeConfigCodec, collector.config)).toString(
      'base64url',
    ),
    ...taskExtras,
  };
  const helperTaskFile = path.join(dir, 'helper-task.json');
  writeFileSync(helperTaskFile, JSON.stringify({ ...shared, leaderUrl: 'http://127.0.0.1:1/' }));
  const helper = await startProcess({
    HELPER_TASK_FILE: helperTaskFile,
    HELPER_PORT: String(await freePort()),
    HELPER_DATA_DIR: path.join(dir, 'helper'),
    ...helperEnv,
  });
  const leaderTaskFile = path.join(dir, 'leader-task.json');
  writeFileSync(
    leaderTaskFile,
    JSON.stringify({ ...shared, helperUrl: helper.url, collectorAuthToken: collectorToken }),
  );
  return {
    categories,
    taskId,
    token,
    collector,
    collectorToken,
    helper,
    leaderTaskFile,
    async startLeader(env) {
      return startProcess(
        {
          LEADER_TASK_FILE: leaderTaskFile,
          LEADER_PORT: String(await freePort()),
          LEADER_DATA_DIR: path.join(dir, 'leader'),
          LEADER_AGGREGATION_INTERVAL_SECONDS: '1',
          ...env,
        },
        'leader',
      );
    },
  };
}

/** Seals each measurement with the real client and uploads it to the leader; all must be accepted. */
export async function uploadReports(
  pair: ProcessPair,
  leaderUrl: string,
  measurements: readonly number[][],
): Promise<void> {
  const uploads = await uploadWithRealClient({
    taskId: pair.taskId,
    leaderKeys: (await helperConfigs(leaderUrl, pair.taskId)).map((config) => ({ config })),
    helperKeys: (await helperConfigs(pair.helper.url, pair.taskId)).map((config) => ({ config })),
    vdaf: { type: 'sumVec', ...pair.categories.vdaf },
    timePrecisionSeconds: DAY,
    measurements,
    at: new Date((YESTERDAY + 3_600) * 1000),
  });
  for (const upload of uploads) {
    const response = await fetch(`${leaderUrl}/tasks/${taskIdToString(pair.taskId)}/reports`, {
      method: 'PUT',
      headers: { 'content-type': MEDIA_TYPES.report },
      body: Buffer.from(upload.body),
    });
    if (response.status !== 200) {
      throw new Error(
        `The leader refused an upload (${response.status}): ${await response.text()}`,
      );
    }
  }
}

/** Reports finished plus failed in a leader's log lines (`… N reports finished, M failed …`). */
const settledIn = (output: string) =>
  [...output.matchAll(/(\d+) reports finished, (\d+) failed/g)].reduce(
    (n, m) => n + Number(m[1]) + Number(m[2]),
    0,
  );

/**
 * Resolves once the leaders' log lines add up to `total` reports finished or failed — no sleeps:
 * each line is printed after its pass committed. Counting failures too means a wrong outcome is
 * asserted on at once instead of waited for.
 */
export function settledReports(
  leaders: readonly AggregatorProcess[],
  total: number,
): Promise<unknown> {
  const done = () =>
    leaders.reduce((n, leader) => n + settledIn(leader.output()), 0) >= total ? true : null;
  return Promise.race(leaders.map((leader) => leader.waitUntil(done)));
}

/** The leader's batch for yesterday (from its database) with the helper's share, opened. */
export async function collectYesterday(
  pair: ProcessPair,
  leaderDb: Db,
): Promise<{ count: number; sums: number[] }> {
  const vdaf = sumVecFor(pair.categories);
  const interval = { start: YESTERDAY, duration: DAY };
  const helper = { url: pair.helper.url, token: pair.token };
  const batch = await sqlAggregationStore(leaderDb, vdaf, pair.taskId, DAY).batch(
    interval.start,
    interval.start + interval.duration,
  );
  const request = aggregateShareRequest(batch, interval, MIN_BATCH_SIZE);
  const helperShare = await aggregateShareOf(
    await postAggregateShareReq(helper, pair.taskId, request),
  );
  const collection = await assembleCollection(
    vdaf,
    pair.taskId,
    pair.collector.config,
    batch,
    request,
    helperShare,
    MIN_BATCH_SIZE,
  );
  return {
    count: batch.reportCount,
    sums: await openCollection(vdaf, pair.taskId, [pair.collector], interval, collection),
  };
}

/** Each report's outcome and each job's state and attempts in the leader's database. */
export async function leaderOutcomes(db: Db) {
  const reports = await db.query<{ state: string; n: number }>(
    'SELECT state, count(*)::int AS n FROM report_aggregations GROUP BY state ORDER BY state',
  );
  const jobs = await db.query<{ state: string; attempts: number }>(
    'SELECT state, attempts FROM aggregation_jobs ORDER BY attempts DESC, state',
  );
  return {
    reports: Object.fromEntries(reports.rows.map((r) => [r.state, r.n])),
    jobs: jobs.rows,
  };
}
