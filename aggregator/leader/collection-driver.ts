/**
 * The leader's collection-job driver: claims a collection job whose batch interval has ended
 * (`db/sql-collection-store.ts`), freezes its batch once it is ready — the AggregateShareReq and
 * the leader's noisy share sealed to the collector are stored, noise drawn once — then
 * `POST /tasks/{task}/aggregate_shares` to the helper with `DAP-Auth-Token` and stores the
 * `Collection` once. A driver killed anywhere leaves the job to a retry after its lease, which
 * sends the stored request byte for byte (the helper answers it with its stored bytes, its noise
 * included) and seals nothing anew. Clock, fetch and the noise's random source are injected.
 */
import { Buffer } from 'node:buffer';
import type { UniformRandom } from '../../extension/protocol/noise.ts';
import type { Db } from '../../shared-db/db.ts';
import { AUTH_HEADER } from '../dap/auth-token.ts';
import { decode, encode } from '../dap/codec.ts';
import { aggregateShareCodec, aggregateShareReqCodec, collectionCodec } from '../dap/collection.ts';
import type { DapProblemType } from '../dap/problem.ts';
import { taskIdToString } from '../dap/task-id.ts';
import { MEDIA_TYPES } from '../dap/upload.ts';
import { cryptoUniform, shareNoiseFor } from '../vdaf/central-noise.ts';
import { aggregateShareRequest, sealLeaderShare } from './collection.ts';
import { sqlCollectionStore, type CollectionJobRow } from './db/sql-collection-store.ts';
import type { LeaderTaskDefinition } from './task-definition.ts';

type CollectionTask = Pick<
  LeaderTaskDefinition,
  | 'taskId'
  | 'vdaf'
  | 'timePrecisionSeconds'
  | 'minBatchSize'
  | 'collectorHpkeConfig'
  | 'centralEpsilon'
  | 'clipBounds'
>;

export interface CollectionDriverOptions {
  readonly db: Db;
  readonly task: CollectionTask;
  readonly helper: { readonly url: string; readonly token: string };
  readonly fetch: typeof fetch;
  /** Seconds since the Unix epoch. */
  readonly now: () => number;
  readonly leaseSeconds: number;
  /** The central noise's uniform source (the OS CSPRNG unless a test seeds one). */
  readonly random?: UniformRandom;
  /** Runs between the helper's answer and storing the Collection (tests throw: a crash). */
  readonly beforeCommit?: (helperAnswer: Uint8Array) => Promise<void>;
}

export type CollectionRun = { readonly jobId: string } & (
  | { readonly outcome: 'waiting'; readonly reason: string }
  | { readonly outcome: 'refused' | 'abandoned'; readonly problem: DapProblemType }
  | { readonly outcome: 'finished'; readonly applied: boolean }
);

/** The helper did not answer with an AggregateShare; the job stays `sharing` for a retry. */
export class HelperCollectionFailed extends Error {
  override readonly name = 'HelperCollectionFailed';
  readonly code = 'helperCollectionFailed';
}

/** Problems after which asking again gets the same answer: the job is abandoned, nothing released. */
const FINAL_PROBLEMS: readonly DapProblemType[] = [
  'batchMismatch',
  'invalidBatchSize',
  'batchQueriedTooManyTimes',
  'batchOverlap',
  'batchInvalid',
  'unrecognizedTask',
];

function finalProblem(status: number, body: string): DapProblemType | null {
  if (status < 400 || status >= 500) return null;
  try {
    const type: unknown = (JSON.parse(body) as { type?: unknown }).type;
    const name = typeof type === 'string' ? type.replace('urn:ietf:params:ppm:dap:error:', '') : '';
    return FINAL_PROBLEMS.find((p) => p === name) ?? null;
  } catch {
    return null;
  }
}

export function collectionDriver(options: CollectionDriverOptions) {
  const { task, helper } = options;
  const store = sqlCollectionStore(options.db, task.vdaf, task.taskId, task);
  const noise = shareNoiseFor(task, options.random ?? cryptoUniform);

  async function freeze(job: CollectionJobRow) {
    return store.freeze(job.jobId, options.now(), async (batch) => {
      const request = aggregateShareRequest(batch, job.batchInterval, task.minBatchSize);
      const leaderShare = await sealLeaderShare(
        task.vdaf,
        task.taskId,
        task.collectorHpkeConfig,
        batch,
        request,
        noise,
      );
      return {
        shareRequest: encode(aggregateShareReqCodec, request),
        leaderShare: encode(aggregateShareCodec, leaderShare),
      };
    });
  }

  async function askHelper(shareRequest: Uint8Array): Promise<Response> {
    return options.fetch(`${helper.url}/tasks/${taskIdToString(task.taskId)}/aggregate_shares`, {
      method: 'POST',
      headers: { 'content-type': MEDIA_TYPES.aggregateShareReq, [AUTH_HEADER]: helper.token },
      body: Buffer.from(shareRequest),
    });
  }

  async function collect(job: CollectionJobRow, jobId: string): Promise<CollectionRun> {
    const { shareRequest, leaderShare, reportCount, interval } = job;
    if (
      shareRequest === null ||
      leaderShare === null ||
      reportCount === null ||
      interval === null
    ) {
      throw new Error(`Collection job ${jobId} is sharing without its frozen batch.`);
    }
    const response = await askHelper(shareRequest);
    if (response.status !== 200) {
      const body = await response.text();
      const problem = finalProblem(response.status, body);
      const detail = `The helper refused the aggregate share request (HTTP ${response.status}): ${body}`;
      if (problem === null) throw new HelperCollectionFailed(detail);
      await store.abandon(job.jobId, problem, detail);
      return { jobId, outcome: 'abandoned', problem };
    }
    const answer = new Uint8Array(await response.arrayBuffer());
    const collection = encode(collectionCodec, {
      reportCount,
      interval,
      leaderEncryptedAggregateShare: decode(
        aggregateShareCodec,
        leaderShare,
        'stored leader share',
      ),
      helperEncryptedAggregateShare: decode(aggregateShareCodec, answer, 'aggregate share'),
    });
    await options.beforeCommit?.(answer);
    return { jobId, outcome: 'finished', applied: await store.finish(job.jobId, collection) };
  }

  /** Claims one job and moves it on; null when none is due. */
  async function runOne(): Promise<CollectionRun | null> {
    const claimed = await store.claim(options.now(), options.leaseSeconds);
    if (claimed === null) return null;
    const jobId = Buffer.from(claimed.jobId).toString('base64url');
    let job = claimed;
    if (job.state === 'pending') {
      const frozen = await freeze(job);
      if (frozen.kind === 'wait') return { jobId, outcome: 'waiting', reason: frozen.reason };
      if (frozen.kind === 'refused') return { jobId, outcome: 'refused', problem: frozen.problem };
      if (frozen.kind === 'gone') {
        return { jobId, outcome: 'waiting', reason: 'another driver moved the job on' };
      }
      job = frozen.job;
    }
    return collect(job, jobId);
  }

  return {
    runOne,
    /** Runs jobs until none is due (a waiting job is due again after its lease). */
    async runUntilIdle(): Promise<CollectionRun[]> {
      const runs: CollectionRun[] = [];
      for (let run = await runOne(); run !== null; run = await runOne()) runs.push(run);
      return runs;
    },
  };
}
