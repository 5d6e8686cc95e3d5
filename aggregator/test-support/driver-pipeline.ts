/**
 * Both aggregators wired as in production, in one process: the helper server on 127.0.0.1 with
 * its own database, the leader's database with real-client reports in its report store, and the
 * options of an aggregation-job driver pointed at the helper. Used by the driver's tests and by
 * `npm run bench:dap`.
 */
import type { UniformRandom } from '../../extension/protocol/noise.ts';
import type { Db } from '../../shared-db/db.ts';
import { decode } from '../dap/codec.ts';
import type { HpkeKeypair } from '../dap/hpke.ts';
import { reportCodec } from '../dap/upload.ts';
import { loadOrCreateKeypairs } from '../db/hpke-keys.ts';
import { helperSchema } from '../helper/db/schema.ts';
import { buildHelperServer } from '../helper/server.ts';
import type { HelperTaskDefinition } from '../helper/task-definition.ts';
import type { AggregationDriverOptions } from '../leader/aggregation-driver.ts';
import { leaderSchema } from '../leader/db/schema.ts';
import { sqlReportStore } from '../leader/db/sql-report-store.ts';
import { clipBoundsOf } from '../vdaf/central-noise.ts';
import type { CategoryTask } from '../vdaf/task.ts';
import { sumVecFor } from '../vdaf/task.ts';
import type { FreshDb } from './databases.ts';
import { newHelperTask } from './helper-task.ts';
import { uploadWithRealClient, type ClientUpload } from './real-client.ts';

export const PIPELINE_TOKEN = 'a-test-token-of-sufficient-length';

export interface Pipeline {
  readonly leaderDb: Db;
  readonly helperDb: Db;
  /** The real client's uploads (request bodies), in measurement order. */
  readonly uploads: readonly ClientUpload[];
  readonly helperTask: HelperTaskDefinition;
  readonly collectorKeys: HpkeKeypair[];
  readonly base: AggregationDriverOptions;
  close(): Promise<void>;
}

export interface PipelineSetup {
  readonly fresh: FreshDb;
  readonly categories: CategoryTask;
  readonly measurements: readonly number[][];
  /** Reports are timestamped one hour into this day-aligned time (seconds). */
  readonly day: number;
  /** Both aggregators' clock (seconds). */
  readonly now: number;
  readonly maxReportsPerJob: number;
  readonly leaseSeconds: number;
  /** `false`: the uploads are not put into the leader's store (a benchmark uploads them over HTTP). */
  readonly storeReports?: boolean;
  /** The helper's central noise (its task's `centralEpsilon`, a seeded source); unset: none. */
  readonly helperNoise?: { readonly epsilon: number; readonly random: UniformRandom };
}

const DAY = 86_400;

export async function startPipeline(setup: PipelineSetup): Promise<Pipeline> {
  const vdaf = sumVecFor(setup.categories);
  const created = await newHelperTask(vdaf, PIPELINE_TOKEN);
  const { collectorKeys } = created;
  const helperTask = {
    ...created.task,
    centralEpsilon: setup.helperNoise?.epsilon ?? null,
    clipBounds: clipBoundsOf(setup.categories),
  };
  const { taskId, verifyKey } = helperTask;
  const helperDb = await setup.fresh(helperSchema);
  const app = await buildHelperServer(helperTask, helperDb, {
    now: () => setup.now,
    ...(setup.helperNoise ? { random: setup.helperNoise.random } : {}),
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const leaderDb = await setup.fresh(leaderSchema);
  const task = { vdaf, taskId, verifyKey, keypairs: await loadOrCreateKeypairs(leaderDb) };
  const uploads = await uploadWithRealClient({
    taskId,
    leaderKeys: task.keypairs,
    helperKeys: await loadOrCreateKeypairs(helperDb),
    vdaf: { type: 'sumVec', ...setup.categories.vdaf },
    timePrecisionSeconds: DAY,
    measurements: setup.measurements,
    at: new Date((setup.day + 3_600) * 1000),
  });
  const reports = sqlReportStore(leaderDb, taskId, DAY);
  for (const upload of setup.storeReports === false ? [] : uploads) {
    const { metadata } = decode(reportCodec, upload.body, 'report');
    await reports.put({ reportId: metadata.reportId, time: metadata.time, bytes: upload.body });
  }
  const base: AggregationDriverOptions = {
    db: leaderDb,
    task,
    timePrecisionSeconds: DAY,
    helper: { url, token: PIPELINE_TOKEN },
    fetch: (input, init) => fetch(input, init),
    now: () => setup.now,
    maxReportsPerJob: setup.maxReportsPerJob,
    leaseSeconds: setup.leaseSeconds,
  };
  return {
    leaderDb,
    helperDb,
    uploads,
    helperTask,
    collectorKeys,
    base,
    async close() {
      await app.close();
      await helperDb.close();
      await leaderDb.close();
    },
  };
}
