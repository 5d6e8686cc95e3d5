/**
 * The union as the DAP collector (issue 17): for every epoch whose config in force has an
 * `aggregation` block, once its acceptance window has closed (the product job's cutoff), a
 * collection job at the leader over exactly that epoch, polled with back-off until the leader
 * answers for good, then the `Collection` opened with the collector's key and the epoch published
 * ONCE through the product's pure core (`dapEpoch`).
 *
 * Crash safety, step by step:
 * - The job id is derived from the task and the epoch (`collectionJobId`) and the row is stored
 *   before the leader is asked; every poll sends the `PUT` again (the leader accepts the same id
 *   with the same request again), so a crash between storing and asking loses nothing.
 * - The leader stores the `Collection` (its noise included) and answers every poll with the same
 *   bytes, so a crash between opening it and publishing publishes the same numbers later.
 * - Publishing is one transaction: the product row (primary key: the epoch) and the job's end.
 *   A second instance, or a retry, finds the job ended and publishes nothing.
 */
import { createHash } from 'node:crypto';

import { openCollection } from '../../aggregator/collector/open-collection.ts';
import { centralNoiseFor, clipBoundsOf } from '../../aggregator/vdaf/central-noise.ts';
import { categoryTask, sumVecFor } from '../../aggregator/vdaf/task.ts';
import { base64UrlBytes } from '../../extension/protocol/config-aggregation.ts';
import type { UnionConfig } from '../../extension/protocol/config.ts';
import type { Db } from '../db/db.ts';
import type { Collector } from '../collector/collector-secrets.ts';
import {
  createCollectionJob,
  LeaderUnavailable,
  pollCollectionJob,
  type LeaderTarget,
} from '../collector/leader-client.ts';
import {
  configInForce,
  dapEpoch,
  type PublishedEpoch,
  type ReleasedNoise,
} from '../product/index.ts';
import { dapRepo, type CollectionRow } from '../repo/dap-repo.ts';
import { productRepo } from '../repo/product-repo.ts';
import { dueDapEpochs } from './dap-epochs.ts';

export interface DapCollectionOptions {
  readonly db: Db;
  /** The collector's token and key; null when the union has none (a DAP epoch then fails loudly). */
  readonly collector: Collector | null;
  readonly fetch: typeof fetch;
  /** First pause before polling an unfinished job again; doubles per poll up to the cap. */
  readonly pollSeconds: number;
  readonly maxPollSeconds: number;
  /** Jobs created or polled per pass, at most. */
  readonly maxJobsPerPass?: number;
  /** Problems that ended a job, and leaders that could not be reached (the pass goes on). */
  readonly log: (message: string) => void;
  /** Runs after the Collection is opened and before publishing (tests throw: a crash). */
  readonly beforePublish?: (epochStart: number) => Promise<void>;
}

/** The DAP problem after which the epoch is published with every category suppressed. */
const BELOW_MINIMUM = 'invalidBatchSize';
/** A wrong token can be fixed by the operator: poll again rather than give the epoch up. */
const RETRIED_PROBLEMS = new Set(['unauthorizedRequest']);

/** 16 bytes from the task and the epoch: the same job whoever asks, however often. */
export function collectionJobId(taskId: string, epochStart: number): string {
  return createHash('sha256')
    .update(`crowdsell dap collection ${taskId} ${epochStart}`)
    .digest()
    .subarray(0, 16)
    .toString('base64url');
}

/** The variance of the noise on each released entry kind: each aggregator adds its own. */
export function releasedNoise(config: UnionConfig): ReleasedNoise {
  const block = config.aggregation;
  if (!block) throw new RangeError(`config version ${config.version} has no aggregation block`);
  const task = categoryTask(config);
  const { kinds } = centralNoiseFor(block.centralEpsilon, {
    vdaf: task.vdaf,
    clipBounds: clipBoundsOf(task),
  });
  return {
    flag: 2 * kinds.flag.variance,
    visits: 2 * kinds.visits.variance,
    activeMinutes: 2 * kinds.activeMinutes.variance,
  };
}

export function dapCollection(options: DapCollectionOptions) {
  const { db } = options;
  const limit = options.maxJobsPerPass ?? 50;

  function requireCollector(): Collector {
    if (options.collector) return options.collector;
    throw new Error(
      'The config in force has an aggregation block, but this union has no collector secrets (COLLECTOR_SECRETS_FILE): its epochs cannot be collected.',
    );
  }

  function configOf(configs: readonly UnionConfig[], row: CollectionRow): UnionConfig {
    const version = configInForce(configs, row.epochStart, row.epochSeconds);
    const config = configs.find((c) => c.version === version)!;
    if (config.aggregation?.taskId !== row.taskId) {
      throw new Error(
        `Epoch ${row.epochStart} was collected under task ${row.taskId}, which the config in force (version ${version}) does not name.`,
      );
    }
    return config;
  }

  async function publish(
    row: CollectionRow,
    epoch: PublishedEpoch,
    problem: string | null,
    nowMs: number,
  ): Promise<PublishedEpoch | null> {
    const stored = await db.transaction(async (tx) => {
      if (!(await dapRepo.finish(tx, row.epochStart, 'published', problem))) return false;
      return productRepo.insert(tx, epoch, new Date(nowMs));
    });
    return stored ? epoch : null;
  }

  /** Polls again after a pause that doubles with each poll, up to the cap. */
  function postpone(row: CollectionRow, nowMs: number): Promise<void> {
    const wait = Math.min(options.maxPollSeconds, options.pollSeconds * 2 ** row.attempts);
    return dapRepo.postpone(db, row.epochStart, new Date(nowMs + wait * 1000));
  }

  /** Asks the leader about one job and acts on the answer; the epoch if it was published now. */
  async function advance(
    row: CollectionRow,
    configs: readonly UnionConfig[],
    nowMs: number,
  ): Promise<PublishedEpoch | null> {
    const collector = requireCollector();
    const config = configOf(configs, row);
    const block = config.aggregation!;
    const target: LeaderTarget = {
      url: block.leaderUrl,
      taskId: row.taskId,
      token: collector.token,
      fetch: options.fetch,
    };
    const interval = { start: row.epochStart, duration: row.epochSeconds };
    const refused = await createCollectionJob(target, row.jobId, interval);
    const answer =
      refused === null
        ? await pollCollectionJob(target, row.jobId)
        : ({ kind: 'problem', ...refused } as const);
    const base = { epochStart: row.epochStart, epochSeconds: row.epochSeconds, config };
    const noiseVariance = releasedNoise(config);
    switch (answer.kind) {
      case 'processing':
        await postpone(row, nowMs);
        return null;
      case 'collection': {
        const task = categoryTask(config);
        const sums = await openCollection(
          sumVecFor(task),
          base64UrlBytes(row.taskId)!,
          [collector.keypair],
          interval,
          answer.collection,
        );
        await options.beforePublish?.(row.epochStart);
        const release = { reportCount: answer.collection.reportCount, sums };
        return publish(row, dapEpoch({ ...base, release, noiseVariance }), null, nowMs);
      }
      case 'problem': {
        if (RETRIED_PROBLEMS.has(answer.problem)) {
          throw new LeaderUnavailable(`The leader refused the collector: ${answer.detail}`);
        }
        if (answer.problem === BELOW_MINIMUM) {
          // Common (a quiet epoch): the reason is kept in dap_collections.problem, not logged.
          const epoch = dapEpoch({ ...base, release: null, noiseVariance });
          return publish(row, epoch, answer.problem, nowMs);
        }
        options.log(
          `epoch ${row.epochStart}: the leader ended collection job ${row.jobId} with ${answer.problem}; not published (${answer.detail})`,
        );
        await dapRepo.finish(db, row.epochStart, 'refused', answer.problem);
        return null;
      }
    }
  }

  return {
    /**
     * One pass: creates the jobs of epochs that became due (epoch end ≤ `cutoff`, Unix seconds)
     * and advances every job whose poll is due; resolves to the epochs it published.
     */
    async collect(nowMs: number, configs: readonly UnionConfig[], cutoff: number) {
      const due = dueDapEpochs(configs, await dapRepo.latestCollection(db), cutoff, limit);
      for (const epoch of due) {
        const taskId = epoch.config.aggregation!.taskId;
        await dapRepo.createCollection(
          db,
          { ...epoch, taskId, jobId: collectionJobId(taskId, epoch.epochStart) },
          new Date(nowMs),
        );
      }
      const published: PublishedEpoch[] = [];
      for (const row of await dapRepo.dueCollections(db, new Date(nowMs), limit)) {
        try {
          const epoch = await advance(row, configs, nowMs);
          if (epoch) published.push(epoch);
        } catch (error) {
          if (!(error instanceof LeaderUnavailable)) throw error;
          options.log(`epoch ${row.epochStart}: ${error.message} Polled again later.`);
          await postpone(row, nowMs);
        }
      }
      return published;
    },
  };
}
