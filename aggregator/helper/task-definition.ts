/**
 * The task a helper runs, as the helper's operator provisions it. Today it comes from a JSON task
 * file (`HELPER_TASK_FILE`); later from the admin-signed union config. Either source must produce
 * this one `HelperTaskDefinition`: the server below it never reads a file or a config.
 *
 * Task file (binary values as unpadded base64url):
 *   { "taskId": "<32 bytes>", "leaderUrl": "https://…/", "verifyKey": "<16 bytes>",
 *     "vdaf": { "length": 60, "bits": 8, "chunkLength": 22 },
 *     "timePrecisionSeconds": 86400, "tolerableClockSkewSeconds": 60, "minBatchSize": 100,
 *     "aggregatorAuthToken": "<secret shared with the leader>",
 *     "collectorHpkeConfig": "<the collector's HpkeConfig, DAP encoding>" }
 */
import { Prio3SumVec } from '@divviup/prio3';
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { decode } from '../dap/codec.ts';
import { hpkeConfigCodec, type HpkeConfig } from '../dap/upload.ts';

export interface HelperTaskDefinition {
  readonly taskId: Uint8Array;
  readonly leaderUrl: string;
  readonly vdaf: Prio3SumVec;
  readonly verifyKey: Uint8Array;
  readonly timePrecisionSeconds: number;
  /** A report timestamped later than now plus this is `report_too_early`. */
  readonly tolerableClockSkewSeconds: number;
  readonly minBatchSize: number;
  readonly aggregatorAuthToken: string;
  readonly collectorHpkeConfig: HpkeConfig;
}

/** A task file that is not a valid task: the message names the field and what is expected. */
export class TaskFileError extends Error {
  override readonly name = 'TaskFileError';
  readonly code = 'invalid_task_file';
}

const bytes = (length: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'unpadded base64url')
    .transform((s) => new Uint8Array(Buffer.from(s, 'base64url')))
    .refine((b) => b.length === length, `${length} bytes`);

const positive = z.number().int().positive();

const taskFileSchema = z.strictObject({
  taskId: bytes(32),
  leaderUrl: z.url({ protocol: /^https?$/ }),
  verifyKey: bytes(16),
  vdaf: z.strictObject({ length: positive, bits: positive.max(64), chunkLength: positive }),
  timePrecisionSeconds: positive,
  tolerableClockSkewSeconds: z.number().int().min(0),
  minBatchSize: positive,
  aggregatorAuthToken: z.string().min(16, 'at least 16 characters'),
  collectorHpkeConfig: z.string().regex(/^[A-Za-z0-9_-]+$/, 'unpadded base64url'),
});

export function parseHelperTask(json: unknown): HelperTaskDefinition {
  const parsed = taskFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || 'the task';
    throw new TaskFileError(`The helper task file is not valid at ${where}: ${issue?.message}.`);
  }
  const t = parsed.data;
  let collectorHpkeConfig: HpkeConfig;
  try {
    collectorHpkeConfig = decode(
      hpkeConfigCodec,
      new Uint8Array(Buffer.from(t.collectorHpkeConfig, 'base64url')),
      'the collector HPKE config',
    );
  } catch (error) {
    throw new TaskFileError(`The helper task file's collectorHpkeConfig does not decode.`, {
      cause: error,
    });
  }
  return {
    taskId: t.taskId,
    leaderUrl: t.leaderUrl,
    vdaf: new Prio3SumVec({ shares: 2, ...t.vdaf }),
    verifyKey: t.verifyKey,
    timePrecisionSeconds: t.timePrecisionSeconds,
    tolerableClockSkewSeconds: t.tolerableClockSkewSeconds,
    minBatchSize: t.minBatchSize,
    aggregatorAuthToken: t.aggregatorAuthToken,
    collectorHpkeConfig,
  };
}

export function readHelperTaskFile(file: string): HelperTaskDefinition {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new TaskFileError(`The helper task file ${file} could not be read as JSON.`, {
      cause: error,
    });
  }
  return parseHelperTask(json);
}
