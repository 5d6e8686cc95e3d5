/**
 * What a DAP task file says that both aggregators share, and how it is read: the task id, the VDAF
 * and its verify key, the time precision, the tolerated clock skew, the minimum batch size, the
 * aggregator auth token and the collector's HPKE config (binary values as unpadded base64url),
 * optionally `centralEpsilon` with the honest clip bounds its noise is calibrated to (required
 * with it: `"clipBounds": { "visits": 50, "activeMinutes": 240 }`, the config's maxVisits and
 * ⌈maxActiveSeconds / 60⌉), and optionally `memberSignatures`: the union whose members must sign
 * every report
 *   { "unionUrl": "https://union.example", "chainId": 100, "dataUnion": "0x…" }
 * (membership from that union's public log; absent: reports need no signature).
 * Each role adds its own fields (`helper/task-definition.ts`: the leader's URL;
 * `leader/task-definition.ts`: the helper's URL and the report expiry age) and gets the same
 * errors: a `TaskFileError` naming the field and what is expected. Neutral ground — the helper
 * and the leader may not import each other (eslint.config.js zones), both import this.
 */
import { Prio3SumVec } from '@divviup/prio3';
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { unionDomain, type UnionDomain } from '../../extension/protocol/eip712.ts';
import { bitLength } from '../../extension/protocol/dap-task.ts';
import { addressSchema } from '../../extension/protocol/wire.ts';
import { decode } from '../dap/codec.ts';
import { hpkeConfigCodec, type HpkeConfig } from '../dap/upload.ts';
import { centralNoiseFor, type ClipBounds } from '../vdaf/central-noise.ts';

/** The union whose members must sign reports: its membership log's URL and its EIP-712 domain. */
export interface MembershipPins {
  readonly domain: UnionDomain;
  /** The union's base URL (its origin), e.g. `https://union.example`. */
  readonly unionUrl: string;
}

/** The fields of a task both roles read. */
export interface SharedTaskDefinition {
  readonly taskId: Uint8Array;
  readonly vdaf: Prio3SumVec;
  readonly verifyKey: Uint8Array;
  readonly timePrecisionSeconds: number;
  /** A report timestamped later than now plus this is `report_too_early`. */
  readonly tolerableClockSkewSeconds: number;
  readonly minBatchSize: number;
  readonly aggregatorAuthToken: string;
  readonly collectorHpkeConfig: HpkeConfig;
  /**
   * ε per epoch the released sums meet with this aggregator's central noise alone
   * (`vdaf/central-noise.ts`); null (or absent from the file): this aggregator adds no noise.
   */
  readonly centralEpsilon: number | null;
  /**
   * What an honest device clips visits and active minutes to: the central noise's sensitivity
   * per entry. Required when `centralEpsilon` is set; null only without central noise.
   */
  readonly clipBounds: ClipBounds | null;
  /** Set: every report must be signed by a member of this union (null: no signature needed). */
  readonly memberSignatures: MembershipPins | null;
}

/** A task file that is not a valid task: the message names the field and what is expected. */
export class TaskFileError extends Error {
  override readonly name = 'TaskFileError';
  readonly code = 'invalid_task_file';
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** `text` as an https URL, or http to this machine; else a `TaskFileError` naming `name`. */
export function unionUrl(text: string, name: string): URL {
  const url = URL.canParse(text) ? new URL(text) : null;
  if (
    !url ||
    (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname)))
  ) {
    throw new TaskFileError(`${name} must be an https URL (http only to this machine).`);
  }
  return url;
}

const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'unpadded base64url');

export const taskBytes = (length: number) =>
  base64url
    .transform((s) => new Uint8Array(Buffer.from(s, 'base64url')))
    .refine((b) => b.length === length, `${length} bytes`);

const positive = z.number().int().positive();

/** The shared fields as a zod shape; a role spreads it into its own strict object. */
export const sharedTaskFields = {
  taskId: taskBytes(32),
  verifyKey: taskBytes(16),
  vdaf: z.strictObject({ length: positive, bits: positive.max(64), chunkLength: positive }),
  timePrecisionSeconds: positive,
  tolerableClockSkewSeconds: z.number().int().min(0),
  minBatchSize: positive,
  aggregatorAuthToken: z.string().min(16, 'at least 16 characters'),
  collectorHpkeConfig: base64url,
  centralEpsilon: z.number().positive().max(8).nullable().default(null),
  clipBounds: z
    .strictObject({ visits: positive, activeMinutes: positive })
    .nullable()
    .default(null),
  memberSignatures: z
    .strictObject({ unionUrl: z.string(), chainId: positive, dataUnion: addressSchema })
    .nullable()
    .default(null),
};

type SharedFields = z.infer<z.ZodObject<typeof sharedTaskFields>>;

/**
 * Parses a task file's JSON with a role's schema (which spreads `sharedTaskFields`) and returns
 * the shared part decoded plus the role's own fields as parsed. `role` names the file in errors.
 */
export function parseTaskFile<Schema extends z.ZodType<SharedFields>>(
  role: string,
  schema: Schema,
  json: unknown,
): { shared: SharedTaskDefinition; fields: z.infer<Schema> } {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || 'the task';
    throw new TaskFileError(`The ${role} task file is not valid at ${where}: ${issue?.message}.`);
  }
  const t = parsed.data;
  checkCalibration(role, t);
  let collectorHpkeConfig: HpkeConfig;
  try {
    collectorHpkeConfig = decode(
      hpkeConfigCodec,
      new Uint8Array(Buffer.from(t.collectorHpkeConfig, 'base64url')),
      'the collector HPKE config',
    );
  } catch (error) {
    throw new TaskFileError(`The ${role} task file's collectorHpkeConfig does not decode.`, {
      cause: error,
    });
  }
  return {
    shared: {
      taskId: t.taskId,
      vdaf: new Prio3SumVec({ shares: 2, ...t.vdaf }),
      verifyKey: t.verifyKey,
      timePrecisionSeconds: t.timePrecisionSeconds,
      tolerableClockSkewSeconds: t.tolerableClockSkewSeconds,
      minBatchSize: t.minBatchSize,
      aggregatorAuthToken: t.aggregatorAuthToken,
      collectorHpkeConfig,
      centralEpsilon: t.centralEpsilon,
      clipBounds: t.clipBounds,
      memberSignatures: t.memberSignatures && {
        domain: unionDomain(t.memberSignatures.chainId, t.memberSignatures.dataUnion),
        unionUrl: unionUrl(
          t.memberSignatures.unionUrl,
          `The ${role} task file's memberSignatures.unionUrl`,
        ).origin,
      },
    },
    fields: t,
  };
}

/**
 * The central noise must be calibrated to the bounds honest devices clip to: `centralEpsilon`
 * without `clipBounds` is refused (never a silent fallback to the proof's 2^bits − 1), and the
 * bounds must be the ones the VDAF was derived from (`bits` is the bit length of the larger).
 */
function checkCalibration(role: string, t: SharedFields): void {
  const bounds = t.clipBounds;
  if (bounds === null) {
    if (t.centralEpsilon === null) return;
    throw new TaskFileError(
      `The ${role} task file sets centralEpsilon but no clipBounds: central noise is calibrated to what an honest device clips each entry to, so add "clipBounds": { "visits": <maxVisits>, "activeMinutes": <⌈maxActiveSeconds / 60⌉> } from the union config.`,
    );
  }
  const bits = bitLength(Math.max(bounds.visits, bounds.activeMinutes));
  if (bits !== t.vdaf.bits) {
    throw new TaskFileError(
      `The ${role} task file's clipBounds (visits ${bounds.visits}, activeMinutes ${bounds.activeMinutes}) need ${bits} bits, but its vdaf has ${t.vdaf.bits}: they are not the bounds the task was derived from.`,
    );
  }
  if (t.centralEpsilon === null) return;
  try {
    centralNoiseFor(t.centralEpsilon, { vdaf: t.vdaf, clipBounds: bounds });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new TaskFileError(`The ${role} task file's central noise: ${error.message}.`, {
      cause: error,
    });
  }
}

/** Reads a task file as JSON; `role` names it in the error. */
export function readTaskJson(role: string, file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new TaskFileError(`The ${role} task file ${file} could not be read as JSON.`, {
      cause: error,
    });
  }
}
