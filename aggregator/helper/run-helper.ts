/**
 * Starting the DAP helper as its own process (`npm run union -- helper`): its own port, data
 * folder, database and HPKE keys — nothing shared with the union it serves. Environment:
 *
 *   HELPER_TASK_FILE      the task (task-definition.ts), or instead
 *   HELPER_CONFIG_FILE    the signed union config's aggregation block (or HELPER_CONFIG_URL) with
 *                         HELPER_SECRETS_FILE and the union's pins (../task/config-env.ts);
 *                         member signatures required, membership from HELPER_UNION_URL's log
 *                         (a task file requires them when it names `memberSignatures`)
 *   HELPER_PORT           default 8788          HELPER_HOST   default 127.0.0.1
 *   HELPER_DATA_DIR       default ./.crowdsell-helper (the PGlite folder)
 *   HELPER_DATABASE_URL   a PostgreSQL URL instead of PGlite
 *   HELPER_RETENTION_KEEP_SECONDS  default 86400: how long after its time the helper keeps its
 *                         rows for a report of a collected batch (retention.ts)
 *
 * The union's DATABASE_URL is deliberately not read: the helper must never land in the union's
 * database by accident.
 */
import type { FastifyInstance } from 'fastify';
import path from 'node:path';
import { z } from 'zod';
import type { Db } from '../../shared-db/db.ts';
import type { DatabaseOptions } from '../../shared-db/open-db.ts';
import { taskIdToString } from '../dap/task-id.ts';
import { closeOnSignals } from '../process/close-on-signals.ts';
import { loadOrCreateKeypairs } from '../db/hpke-keys.ts';
import { describeSignatures, memberSignaturePolicy } from '../membership/member-policy.ts';
import { configTaskFromEnv, fetchUnionConfig } from '../task/config-env.ts';
import { checkPublishedHpkeConfig } from '../task/from-config.ts';
import { helperSchema } from './db/schema.ts';
import { describeShareNoise } from '../vdaf/central-noise.ts';
import { buildHelperServer, helperNoise } from './server.ts';
import { DEFAULT_HELPER_RETENTION_KEEP_SECONDS, startHelperRetention } from './retention.ts';
import { readHelperTaskFile, type HelperTaskDefinition } from './task-definition.ts';

const taskFileRequired = 'required: the path of the helper task file (or HELPER_CONFIG_FILE)';

const envSchema = z.object({
  HELPER_TASK_FILE: z.string().min(1, taskFileRequired).optional(),
  HELPER_PORT: z.coerce.number().int().min(0).max(65_535).default(8788),
  HELPER_HOST: z.string().min(1).default('127.0.0.1'),
  HELPER_DATA_DIR: z.string().min(1).default('./.crowdsell-helper'),
  HELPER_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// URL')
    .optional(),
  HELPER_RETENTION_KEEP_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .default(DEFAULT_HELPER_RETENTION_KEEP_SECONDS),
});

export interface HelperOptions {
  readonly task: HelperTaskDefinition;
  /** With a task from the signed config: the HPKE config it publishes for the helper. */
  readonly publishedHpkeConfig?: Uint8Array | undefined;
  readonly port: number;
  readonly host: string;
  readonly database: DatabaseOptions;
  /** Seconds after a report's time before its rows of a collected batch go (retention.ts). */
  readonly retentionKeepSeconds?: number;
}

/** `fetchedConfig`: what `fetchUnionConfig` downloaded from HELPER_CONFIG_URL, if set. */
export function helperOptionsFromEnv(
  env: NodeJS.ProcessEnv,
  fetchedConfig?: unknown,
): HelperOptions {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Helper configuration: ${issue?.path.join('.')}: ${issue?.message}.`);
  }
  const e = parsed.data;
  const fromConfig = configTaskFromEnv(env, 'HELPER', fetchedConfig);
  if (fromConfig && e.HELPER_TASK_FILE) {
    throw new Error('Helper configuration: set HELPER_TASK_FILE or a union config, not both.');
  }
  const task = fromConfig ?? (e.HELPER_TASK_FILE ? readHelperTaskFile(e.HELPER_TASK_FILE) : null);
  if (!task) throw new Error(`Helper configuration: HELPER_TASK_FILE: ${taskFileRequired}.`);
  return {
    task,
    publishedHpkeConfig: fromConfig?.published.helper,
    port: e.HELPER_PORT,
    host: e.HELPER_HOST,
    database: e.HELPER_DATABASE_URL
      ? { driver: 'postgres', url: e.HELPER_DATABASE_URL }
      : { driver: 'pglite', dataDir: path.join(e.HELPER_DATA_DIR, 'db') },
    retentionKeepSeconds: e.HELPER_RETENTION_KEEP_SECONDS,
  };
}

export interface RunningHelper {
  readonly url: string;
  readonly db: Db;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

export async function startHelper(options: HelperOptions): Promise<RunningHelper> {
  const db = await helperSchema.open(options.database);
  try {
    if (options.publishedHpkeConfig) {
      checkPublishedHpkeConfig(
        'helper',
        await loadOrCreateKeypairs(db),
        options.publishedHpkeConfig,
      );
    }
    const now = () => Math.floor(Date.now() / 1000);
    const pins = options.task.memberSignatures;
    const app = await buildHelperServer(options.task, db, {
      now,
      ...(pins
        ? { memberSignatures: memberSignaturePolicy(pins, options.task.timePrecisionSeconds, now) }
        : {}),
    });
    const url = await app.listen({ port: options.port, host: options.host });
    const retention = startHelperRetention(
      {
        db,
        taskId: options.task.taskId,
        timePrecisionSeconds: options.task.timePrecisionSeconds,
        keepSeconds: options.retentionKeepSeconds ?? DEFAULT_HELPER_RETENTION_KEEP_SECONDS,
        now,
      },
      (line) => console.error(line),
    );
    return {
      url,
      db,
      app,
      async close() {
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

/** The `helper` command: start from the environment, log one line, stop on SIGINT/SIGTERM. */
export async function runHelperCommand(env: NodeJS.ProcessEnv): Promise<void> {
  const options = helperOptionsFromEnv(env, await fetchUnionConfig(env, 'HELPER', fetch));
  const helper = await startHelper(options);
  console.log(
    `Crowdsell DAP helper (preview) listening on ${helper.url} for task ${taskIdToString(options.task.taskId)} (database: ${helper.db.driver}); ${describeSignatures(options.task.memberSignatures)}; ${describeShareNoise(helperNoise(options.task))}`,
  );
  closeOnSignals(() => helper.close());
}
