/**
 * Starting the DAP leader as its own process (`npm run union -- leader`): its own port, data
 * folder, database and HPKE keys, the upload and collection job routes, and the aggregation
 * driver in a loop — each pass that finds no aggregation job left moves the due collection jobs
 * on (`collection-pass.ts`).
 * Environment:
 *
 *   LEADER_TASK_FILE                     the task (task-definition.ts), or instead
 *   LEADER_CONFIG_FILE                   the signed union config's aggregation block (or
 *                                        LEADER_CONFIG_URL) with LEADER_SECRETS_FILE (the shared
 *                                        secrets plus reportExpiryAgeSeconds and
 *                                        collectorAuthToken) and the union's pins
 *                                        (../task/config-env.ts); member signatures required,
 *                                        membership from LEADER_UNION_URL's log (a task file
 *                                        requires them when it names `memberSignatures`)
 *   LEADER_PORT        default 8789      LEADER_HOST   default 127.0.0.1
 *   LEADER_DATA_DIR    default ./.crowdsell-leader (the PGlite folder)
 *   LEADER_DATABASE_URL                  a PostgreSQL URL instead of PGlite (several leader
 *                                        instances may share one: jobs are leased)
 *   LEADER_AGGREGATION_INTERVAL_SECONDS  default 10: the pause between aggregation passes
 *   LEADER_MAX_REPORTS_PER_JOB           default 100
 *   LEADER_LEASE_SECONDS                 default 600: how long a claimed job is one instance's
 *   LEADER_MAX_BACKOFF_SECONDS           default 300: the longest pause after failed passes
 *                                        (a helper outage: the wait doubles from the interval)
 *   LEADER_RETENTION_KEEP_SECONDS        default 86400: how long past the report expiry age an
 *                                        upload of a collected batch is kept (retention.ts)
 *   LEADER_TEST_HOLD_BEFORE_COMMIT       tests only, refused unless NODE_ENV=test (docs/decisions
 *                                        D-028)
 *
 * The union's DATABASE_URL is deliberately not read: the leader's reports never land in the
 * union's database by accident.
 */
import type { FastifyInstance } from 'fastify';
import path from 'node:path';
import { z } from 'zod';
import type { Db } from '../../shared-db/db.ts';
import type { DatabaseOptions } from '../../shared-db/open-db.ts';
import { loadOrCreateKeypairs } from '../db/hpke-keys.ts';
import { taskIdToString } from '../dap/task-id.ts';
import { closeOnSignals } from '../process/close-on-signals.ts';
import { describeSignatures, memberSignaturePolicy } from '../membership/member-policy.ts';
import type { MemberSignaturePolicy } from '../membership/verify-member-report.ts';
import { configTaskFromEnv, fetchUnionConfig } from '../task/config-env.ts';
import { checkPublishedHpkeConfig } from '../task/from-config.ts';
import { aggregationDriver } from './aggregation-driver.ts';
import { DEFAULT_MAX_BACKOFF_MS, startAggregationLoop } from './aggregation-loop.ts';
import { describeShareNoise, shareNoiseFor, cryptoUniform } from '../vdaf/central-noise.ts';
import { collectionDriver } from './collection-driver.ts';
import { collectionPass } from './collection-pass.ts';
import { leaderSchema } from './db/schema.ts';
import { buildLeaderServer } from './server.ts';
import { DEFAULT_RETENTION_KEEP_SECONDS, startLeaderRetention } from './retention.ts';
import {
  leaderSecretFields,
  readLeaderTaskFile,
  type LeaderTaskDefinition,
} from './task-definition.ts';

/** How long the leader waits for the helper's answer to one job before counting a failed attempt. */
const HELPER_TIMEOUT_MS = 60_000;

const count = (fallback: number, min = 1) => z.coerce.number().int().min(min).default(fallback);

const taskFileRequired = 'required: the path of the leader task file (or LEADER_CONFIG_FILE)';

const envSchema = z.object({
  LEADER_TASK_FILE: z.string().min(1, taskFileRequired).optional(),
  LEADER_PORT: z.coerce.number().int().min(0).max(65_535).default(8789),
  LEADER_HOST: z.string().min(1).default('127.0.0.1'),
  LEADER_DATA_DIR: z.string().min(1).default('./.crowdsell-leader'),
  LEADER_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// URL')
    .optional(),
  LEADER_AGGREGATION_INTERVAL_SECONDS: count(10),
  LEADER_MAX_REPORTS_PER_JOB: count(100),
  // 0 makes a job retryable at once (tests restart a killed leader without waiting).
  LEADER_LEASE_SECONDS: count(600, 0),
  LEADER_MAX_BACKOFF_SECONDS: count(DEFAULT_MAX_BACKOFF_MS / 1000),
  LEADER_RETENTION_KEEP_SECONDS: count(DEFAULT_RETENTION_KEEP_SECONDS, 0),
  /**
   * Test only: each job waits forever between the helper's answer and its commit (kill -9 tests).
   * Refused unless NODE_ENV=test, so a production leader can never be made to hang by it.
   */
  LEADER_TEST_HOLD_BEFORE_COMMIT: z.literal('1').optional(),
  /** Removed (D-031): refused with a sentence, so an operator who still sets it is told. */
  LEADER_MAX_ATTEMPTS: z
    .undefined({
      error:
        'removed: a transient helper failure is now retried until the reports expire (LEADER_MAX_BACKOFF_SECONDS bounds the pause; docs/operations.md §7); unset it',
    })
    .optional(),
  NODE_ENV: z.string().optional(),
});

export interface LeaderOptions {
  readonly task: LeaderTaskDefinition;
  /** With a task from the signed config: the leader HPKE config it publishes, if it does. */
  readonly publishedHpkeConfig?: Uint8Array | null | undefined;
  readonly port: number;
  readonly host: string;
  readonly database: DatabaseOptions;
  /** Seconds past the report expiry age before a collected upload is deleted (retention.ts). */
  readonly retentionKeepSeconds?: number;
  readonly aggregation: {
    readonly intervalSeconds: number;
    readonly maxReportsPerJob: number;
    readonly leaseSeconds: number;
    readonly maxBackoffSeconds: number;
    readonly holdBeforeCommit: boolean;
  };
}

/** The leader's task from the signed config (`fetchedConfig`: LEADER_CONFIG_URL's), or null. */
function leaderTaskFromConfig(env: NodeJS.ProcessEnv, fetchedConfig: unknown) {
  const fromConfig = configTaskFromEnv(env, 'LEADER', fetchedConfig, leaderSecretFields);
  if (!fromConfig) return null;
  const task: LeaderTaskDefinition = {
    ...fromConfig,
    reportExpiryAgeSeconds: fromConfig.own.reportExpiryAgeSeconds,
    collectorAuthToken: fromConfig.own.collectorAuthToken,
  };
  return { task, published: fromConfig.published.leader };
}

/** `fetchedConfig`: what `fetchUnionConfig` downloaded from LEADER_CONFIG_URL, if set. */
export function leaderOptionsFromEnv(
  env: NodeJS.ProcessEnv,
  fetchedConfig?: unknown,
): LeaderOptions {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Leader configuration: ${issue?.path.join('.')}: ${issue?.message}.`);
  }
  const e = parsed.data;
  if (e.LEADER_TEST_HOLD_BEFORE_COMMIT && e.NODE_ENV !== 'test') {
    throw new Error(
      'Leader configuration: LEADER_TEST_HOLD_BEFORE_COMMIT is for tests only (NODE_ENV=test): it makes every aggregation job hang before its commit.',
    );
  }
  const fromConfig = leaderTaskFromConfig(env, fetchedConfig);
  if (fromConfig && e.LEADER_TASK_FILE) {
    throw new Error('Leader configuration: set LEADER_TASK_FILE or a union config, not both.');
  }
  if (!fromConfig && !e.LEADER_TASK_FILE) {
    throw new Error(`Leader configuration: LEADER_TASK_FILE: ${taskFileRequired}.`);
  }
  return {
    task: fromConfig?.task ?? readLeaderTaskFile(e.LEADER_TASK_FILE!),
    publishedHpkeConfig: fromConfig?.published,
    port: e.LEADER_PORT,
    host: e.LEADER_HOST,
    database: e.LEADER_DATABASE_URL
      ? { driver: 'postgres', url: e.LEADER_DATABASE_URL }
      : { driver: 'pglite', dataDir: path.join(e.LEADER_DATA_DIR, 'db') },
    retentionKeepSeconds: e.LEADER_RETENTION_KEEP_SECONDS,
    aggregation: {
      intervalSeconds: e.LEADER_AGGREGATION_INTERVAL_SECONDS,
      maxReportsPerJob: e.LEADER_MAX_REPORTS_PER_JOB,
      leaseSeconds: e.LEADER_LEASE_SECONDS,
      maxBackoffSeconds: e.LEADER_MAX_BACKOFF_SECONDS,
      holdBeforeCommit: e.LEADER_TEST_HOLD_BEFORE_COMMIT === '1',
    },
  };
}

export interface RunningLeader {
  readonly url: string;
  readonly db: Db;
  readonly app: FastifyInstance;
  /** Stops the aggregation loop (the job in flight finishes), then the server and the database. */
  close(): Promise<void>;
}

export async function startLeader(
  options: LeaderOptions,
  log: (line: string) => void,
): Promise<RunningLeader> {
  const db = await leaderSchema.open(options.database);
  const now = () => Math.floor(Date.now() / 1000);
  try {
    const { task, aggregation } = options;
    const keypairs = await loadOrCreateKeypairs(db);
    if (options.publishedHpkeConfig) {
      checkPublishedHpkeConfig('leader', keypairs, options.publishedHpkeConfig);
    }
    const memberSignatures: MemberSignaturePolicy | undefined = task.memberSignatures
      ? memberSignaturePolicy(task.memberSignatures, task.timePrecisionSeconds, now)
      : undefined;
    const app = await buildLeaderServer(task, db, { now, memberSignatures });
    const url = await app.listen({ port: options.port, host: options.host });
    const driver = aggregationDriver({
      db,
      task: { ...task, keypairs, memberSignatures },
      timePrecisionSeconds: task.timePrecisionSeconds,
      helper: { url: task.helperUrl, token: task.aggregatorAuthToken },
      fetch: (input, init) =>
        fetch(input, { ...init, signal: AbortSignal.timeout(HELPER_TIMEOUT_MS) }),
      now,
      maxReportsPerJob: aggregation.maxReportsPerJob,
      leaseSeconds: aggregation.leaseSeconds,
      reportExpiryAgeSeconds: task.reportExpiryAgeSeconds,
      ...(aggregation.holdBeforeCommit
        ? {
            beforeCommit: () => {
              log('test hold: a job is waiting before its commit');
              return new Promise<void>(() => {});
            },
          }
        : {}),
    });
    const collection = collectionDriver({
      db,
      task,
      helper: { url: task.helperUrl, token: task.aggregatorAuthToken },
      fetch: (input, init) =>
        fetch(input, { ...init, signal: AbortSignal.timeout(HELPER_TIMEOUT_MS) }),
      now,
      leaseSeconds: aggregation.leaseSeconds,
    });
    const loop = startAggregationLoop({
      runOne: async () => {
        const job = await driver.runOne();
        if (job === null) await collectionPass(() => collection.runOne(), log);
        return job;
      },
      intervalMs: aggregation.intervalSeconds * 1000,
      maxBackoffMs: aggregation.maxBackoffSeconds * 1000,
      log,
    });
    const retention = startLeaderRetention(
      {
        db,
        taskId: task.taskId,
        timePrecisionSeconds: task.timePrecisionSeconds,
        reportExpiryAgeSeconds: task.reportExpiryAgeSeconds,
        keepSeconds: options.retentionKeepSeconds ?? DEFAULT_RETENTION_KEEP_SECONDS,
        now,
      },
      log,
    );
    return {
      url,
      db,
      app,
      async close() {
        await loop.stop();
        await retention.stop();
        await app.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}

/** The `leader` command: start from the environment, log, stop on SIGINT/SIGTERM. */
export async function runLeaderCommand(env: NodeJS.ProcessEnv): Promise<void> {
  const options = leaderOptionsFromEnv(env, await fetchUnionConfig(env, 'LEADER', fetch));
  const leader = await startLeader(options, (line) => console.log(line));
  const signatures = describeSignatures(options.task.memberSignatures);
  console.log(
    `Crowdsell DAP leader (preview) listening on ${leader.url} for task ${taskIdToString(options.task.taskId)} (database: ${leader.db.driver}; helper ${options.task.helperUrl}); ${signatures}; ${describeShareNoise(shareNoiseFor(options.task, cryptoUniform))}`,
  );
  closeOnSignals(() => leader.close());
}
