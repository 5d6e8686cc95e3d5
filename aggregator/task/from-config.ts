/**
 * A DAP task from the admin-signed union config (its `aggregation` block) plus what only the
 * aggregators' operators hold. The config is verified with the same rules the extension and the
 * union apply (`acceptSignedConfig`: the admin's EIP-712 signature for this union and chain, the
 * block consistent with the categories, epoch, k and privacy budget), so an aggregator runs exactly
 * the task members' devices were shown, and a change to it is a new config version.
 *
 * The secrets stay out of the public config: the VDAF verify key (shared only by the two
 * aggregators), the aggregator auth token and the collector's HPKE config, plus the tolerated
 * clock skew (an operator's choice). Secrets file (binary values as unpadded base64url):
 *   { "verifyKey": "<16 bytes>", "aggregatorAuthToken": "<secret shared by leader and helper>",
 *     "collectorHpkeConfig": "<the collector's HpkeConfig, DAP encoding>",
 *     "tolerableClockSkewSeconds": 60 }
 * plus a role's own fields (`ownSecrets`: the leader's collector token and report expiry age);
 * any other field is refused.
 */
import { z } from 'zod';
import { Buffer } from 'node:buffer';
import { base64UrlBytes } from '../../extension/protocol/config-aggregation.ts';
import { acceptSignedConfig } from '../../extension/protocol/config.ts';
import { categoryTask } from '../../extension/protocol/dap-task.ts';
import type { UnionDomain } from '../../extension/protocol/eip712.ts';
import { CrowdsellError } from '../../extension/protocol/errors.ts';
import type { PrivacyLimits } from '../../extension/protocol/privacy-budget.ts';
import { encode } from '../dap/codec.ts';
import type { HpkeKeypair } from '../dap/hpke.ts';
import { hpkeConfigCodec } from '../dap/upload.ts';
import { clipBoundsOf } from '../vdaf/central-noise.ts';
import {
  parseTaskFile,
  sharedTaskFields,
  TaskFileError,
  type SharedTaskDefinition,
} from './task-file.ts';

/** Whose config to believe: the union's admin on its chain, and the limits to apply. */
export interface ConfigTrust {
  readonly domain: UnionDomain;
  readonly admin: string;
  readonly limits: PrivacyLimits;
}

/** The task both roles run, as the config names it; each role takes the URL of the other. */
export interface ConfigTaskDefinition extends SharedTaskDefinition {
  readonly configVersion: number;
  readonly leaderUrl: string;
  readonly helperUrl: string;
  /** The HPKE configs devices are told to seal to (DAP encoding); the leader's is optional. */
  readonly published: { readonly helper: Uint8Array; readonly leader: Uint8Array | null };
}

const secretsSchema = z.strictObject({
  verifyKey: sharedTaskFields.verifyKey,
  aggregatorAuthToken: sharedTaskFields.aggregatorAuthToken,
  collectorHpkeConfig: sharedTaskFields.collectorHpkeConfig,
  tolerableClockSkewSeconds: sharedTaskFields.tolerableClockSkewSeconds,
});

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, '');

/**
 * Verifies `signedConfig` and builds its task with `secrets`. Throws `TaskFileError` naming what
 * is wrong: a config the shared rules refuse (with its stable code), a config without an
 * aggregation block, or secrets that are not valid.
 */
export function aggregatorTaskFromConfig<Own extends z.ZodRawShape = Record<never, never>>(
  signedConfig: unknown,
  secrets: unknown,
  trust: ConfigTrust,
  ownSecrets?: Own,
): ConfigTaskDefinition & { readonly own: z.infer<z.ZodObject<Own>> } {
  let config;
  try {
    ({ config } = acceptSignedConfig(signedConfig, trust));
  } catch (error) {
    if (!(error instanceof CrowdsellError)) throw error;
    throw new TaskFileError(`The union config is not accepted (${error.code}): ${error.message}`, {
      cause: error,
    });
  }
  const block = config.aggregation;
  if (!block) {
    throw new TaskFileError(
      `The union config version ${config.version} has no aggregation block: it describes no DAP task.`,
    );
  }
  const checked = secretsSchema.extend(ownSecrets ?? {}).safeParse(secrets);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const where = issue?.path.join('.') || 'the secrets';
    throw new TaskFileError(`The task secrets are not valid at ${where}: ${issue?.message}.`);
  }
  const raw = secrets as Record<string, unknown>;
  const sharedSecrets = Object.fromEntries(
    Object.keys(secretsSchema.shape).map((k) => [k, raw[k]]),
  );
  const own = Object.fromEntries(
    Object.keys(ownSecrets ?? {}).map((k) => [k, (checked.data as Record<string, unknown>)[k]]),
  ) as z.infer<z.ZodObject<Own>>;
  const { type: _type, ...vdaf } = block.vdaf;
  const { shared } = parseTaskFile('union config', z.strictObject(sharedTaskFields), {
    ...sharedSecrets,
    taskId: block.taskId,
    vdaf,
    timePrecisionSeconds: block.timePrecisionSeconds,
    minBatchSize: block.minBatchSize,
    centralEpsilon: block.centralEpsilon,
    // The bounds members' devices clip to, from the same signed config (the VDAF was checked
    // against them), so the central noise is calibrated to what an honest report can carry.
    clipBounds: clipBoundsOf(categoryTask(config)),
  });
  return {
    ...shared,
    configVersion: config.version,
    leaderUrl: withoutTrailingSlash(block.leaderUrl),
    helperUrl: withoutTrailingSlash(block.helperUrl),
    published: {
      helper: base64UrlBytes(block.helperHpkeConfig) ?? new Uint8Array(),
      leader: block.leaderHpkeConfig === undefined ? null : base64UrlBytes(block.leaderHpkeConfig),
    },
    own,
  };
}

/**
 * An aggregator whose own HPKE config is not the one the signed config publishes for its role
 * would be sent shares it cannot open: refuse to start, and print this aggregator's config so its
 * operator can have the admin publish it (a fresh database generates a new key).
 */
export function checkPublishedHpkeConfig(
  role: 'helper' | 'leader',
  own: readonly HpkeKeypair[],
  published: Uint8Array,
): void {
  const encoded = own.map((k) => encode(hpkeConfigCodec, k.config));
  if (encoded.some((e) => Buffer.from(e).equals(published))) return;
  const current = encoded[0] ? Buffer.from(encoded[0]).toString('base64url') : 'none';
  throw new TaskFileError(
    `The union config publishes another HPKE config for the ${role} than this ${role} holds, so devices would seal shares it cannot open; publish this ${role}'s (${current}) in the config, or restore the database that holds the published key.`,
  );
}
