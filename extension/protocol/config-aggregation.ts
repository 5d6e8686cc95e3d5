/**
 * The signed config's optional `aggregation` block (issue 21): the DAP task a device will upload
 * its measurement to (part 2), so the device verifies it under the admin's signature and any change
 * is a new config version. Absent, the config describes plain reports only, as before.
 *
 * Nothing here is secret: the VDAF verify key, the aggregator auth token and the collector's HPKE
 * config stay with the aggregators' operators (aggregator/task/from-config.ts). The rules tie the
 * block to the rest of the config, so the admin cannot sign a task that counts something else:
 * the VDAF is exactly what the categories and clip bounds imply (`categoryTask`), the time
 * precision is the epoch, the minimum batch size is k, the two aggregators are different servers
 * reached over https (http only to this machine under development limits), and the central ε
 * counts against the same budget as the local ε (privacy-budget.ts).
 */
import { decodeBase64, encodeBase64, getBytes, keccak256, toUtf8Bytes } from 'ethers';
import { z } from 'zod';

import { canonicalJson } from './canonical-json.ts';
import { categoryTask, type SumVecParams, type TaskSource } from './dap-task.ts';
import { CrowdsellError } from './errors.ts';
import type { PrivacyLimits } from './privacy-budget.ts';
import { epsilonSchema } from './privacy-schema.ts';

/** Bytes of a DAP task id (DAP-09 §4.2). */
export const TASK_ID_BYTES = 32;

/** Unpadded base64url → bytes, or null unless `text` is exactly the canonical encoding. */
export function base64UrlBytes(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const standard = text.replace(/-/g, '+').replace(/_/g, '/');
  const bytes = decodeBase64(standard.padEnd(Math.ceil(standard.length / 4) * 4, '='));
  return toBase64Url(bytes) === text ? bytes : null;
}

/** Bytes as unpadded base64url. */
export function toBase64Url(bytes: Uint8Array): string {
  return encodeBase64(bytes).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

const base64Url = (what: string) =>
  z
    .string()
    .max(4096)
    .refine((s) => base64UrlBytes(s) !== null, `${what} is unpadded, canonical base64url`);

const aggregatorUrl = z.url({ protocol: /^https?$/ }).max(2048);
const positiveInt = z.number().int().min(1);

export const aggregationSchema = z.strictObject({
  /** The DAP task id, 32 bytes. */
  taskId: base64Url('taskId').refine(
    (s) => base64UrlBytes(s)?.length === TASK_ID_BYTES,
    `taskId is ${TASK_ID_BYTES} bytes`,
  ),
  leaderUrl: aggregatorUrl,
  helperUrl: aggregatorUrl,
  /** The helper's `HpkeConfig` (DAP encoding), so a device can seal the helper's share. */
  helperHpkeConfig: base64Url('helperHpkeConfig'),
  /** The leader's, optionally (without it a device fetches it from the leader). */
  leaderHpkeConfig: base64Url('leaderHpkeConfig').optional(),
  vdaf: z.strictObject({
    type: z.literal('Prio3SumVec'),
    length: positiveInt,
    bits: positiveInt.max(64),
    chunkLength: positiveInt,
  }),
  timePrecisionSeconds: positiveInt,
  minBatchSize: positiveInt,
  /** ε of the noised sums released per epoch (central differential privacy). */
  centralEpsilon: epsilonSchema('central ε'),
  /**
   * Whether devices also add local noise (`privacy.epsilon`) to their measurement. Absent or
   * false: off — the central ε protects the released sums, and a device spends only that
   * (`deviceEpochEpsilonCents`, privacy-budget.ts). Absent hashes as before, so a block signed
   * without it keeps its hash.
   */
  localNoise: z.boolean().optional(),
});
export type AggregationBlock = z.infer<typeof aggregationSchema>;

/** What of a config the block is checked against. */
export interface AggregationContext extends TaskSource {
  readonly epochSeconds: number;
  readonly privacy: TaskSource['privacy'] & { readonly kThreshold: number };
  readonly aggregation?: AggregationBlock | undefined;
}

/** What an admin chooses; the rest of the block follows from the config. */
export type AggregationChoice = Omit<
  AggregationBlock,
  'vdaf' | 'timePrecisionSeconds' | 'minBatchSize'
>;

/**
 * The block for `config` with the fields the rules fix filled in from it (the VDAF from the
 * categories and clip bounds, the epoch, k), so an editor never asks for what it cannot choose.
 */
export function aggregationFor(
  config: Omit<AggregationContext, 'aggregation'>,
  choice: AggregationChoice,
): AggregationBlock {
  return {
    ...choice,
    vdaf: { type: 'Prio3SumVec', ...categoryTask(config).vdaf },
    timePrecisionSeconds: config.epochSeconds,
    minBatchSize: config.privacy.kThreshold,
  };
}

const refuse = (code: string, sentence: string): never => {
  throw new CrowdsellError(code, sentence);
};

/**
 * DAP-09 `HpkeConfig`: id (1 byte), KEM, KDF and AEAD ids (2 bytes each), then the public key as
 * `opaque<1..2^16-1>`, and nothing after it. Structure only: the aggregators decode it with the
 * full codec (aggregator/dap/upload.ts).
 */
function isHpkeConfig(bytes: Uint8Array): boolean {
  if (bytes.length < 9) return false;
  const keyLength = ((bytes[7] ?? 0) << 8) | (bytes[8] ?? 0);
  return keyLength >= 1 && bytes.length === 9 + keyLength;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function checkUrl(name: string, text: string, limits: PrivacyLimits): URL {
  const url = new URL(text);
  if (url.username || url.password || url.search || url.hash) {
    refuse(
      'CONFIG_AGGREGATION_URL',
      `The aggregation ${name} URL “${text}” must be a plain base URL (no credentials, query or fragment).`,
    );
  }
  const local = limits.kind === 'development' && LOCAL_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !local) {
    refuse(
      'CONFIG_AGGREGATION_URL',
      `The aggregation ${name} URL “${text}” must use https (http only reaches this machine, and only under development limits).`,
    );
  }
  return url;
}

/** What defines a DAP task besides its id: both aggregators fix these when they start it. */
const TASK_FIELDS = [
  'leaderUrl',
  'helperUrl',
  'vdaf',
  'timePrecisionSeconds',
  'minBatchSize',
  'centralEpsilon',
] as const;

/**
 * A task id keeps its parameters across config versions (a DAP task is immutable: reports
 * already uploaded under it were sharded for them). A config that changes one of `TASK_FIELDS`
 * must name a new task id; the HPKE configs may change under the same id (key rotation).
 */
export function checkTaskContinuity(
  previous: { aggregation?: AggregationBlock | undefined } | undefined,
  next: { aggregation?: AggregationBlock | undefined },
): void {
  const [before, after] = [previous?.aggregation, next.aggregation];
  if (!before || !after || before.taskId !== after.taskId) return;
  const changed = changedTaskFields(before, after);
  if (changed.length > 0) {
    refuse(
      'CONFIG_AGGREGATION_TASK_REUSED',
      `Task ${after.taskId} already runs with another ${changed.join(', ')}; a changed task needs a new task id.`,
    );
  }
}

function changedTaskFields(before: AggregationBlock, after: AggregationBlock): string[] {
  return TASK_FIELDS.filter(
    (field) => canonicalJson(before[field]) !== canonicalJson(after[field]),
  );
}

/**
 * `next` under a task id that keeps `checkTaskContinuity`: its own when no task field changed
 * against `previous` (or it already names another task), else a new one derived from the previous
 * id and the new parameters (32 bytes of keccak-256), so an editor needs no randomness.
 */
export function continueTask(
  previous: AggregationBlock | undefined,
  next: AggregationBlock,
): AggregationBlock {
  if (!previous || previous.taskId !== next.taskId) return next;
  if (changedTaskFields(previous, next).length === 0) return next;
  const seed = canonicalJson({ previousTaskId: previous.taskId, task: { ...next, taskId: null } });
  return { ...next, taskId: toBase64Url(getBytes(keccak256(toUtf8Bytes(seed)))) };
}

function vdafText(v: SumVecParams): string {
  return `length ${v.length}, bits ${v.bits}, chunk length ${v.chunkLength}`;
}

/**
 * The rules for `config.aggregation` (nothing to check when it is absent). Throws
 * `CrowdsellError` with a stable `CONFIG_AGGREGATION_*` code and a sentence. The central ε's
 * share of the budget is checked with the local ε in `checkPrivacyLimits`.
 */
export function checkAggregation(config: AggregationContext, limits: PrivacyLimits): void {
  const block = config.aggregation;
  if (!block) return;
  const leader = checkUrl('leader', block.leaderUrl, limits);
  const helper = checkUrl('helper', block.helperUrl, limits);
  if (leader.origin === helper.origin) {
    refuse(
      'CONFIG_AGGREGATION_SAME_SERVER',
      `The leader and the helper are the same server (${leader.origin}); the helper must be another aggregator.`,
    );
  }
  const hpke: [string, string | undefined][] = [
    ['helper', block.helperHpkeConfig],
    ['leader', block.leaderHpkeConfig],
  ];
  for (const [role, encoded] of hpke) {
    const bytes = encoded === undefined ? null : base64UrlBytes(encoded);
    if (encoded !== undefined && (bytes === null || !isHpkeConfig(bytes))) {
      refuse(
        'CONFIG_AGGREGATION_HPKE',
        `The ${role}’s HPKE config in the aggregation block is not a DAP-encoded HpkeConfig.`,
      );
    }
  }
  if (config.categories.length === 0) {
    refuse('CONFIG_AGGREGATION_VDAF', 'An aggregation task needs at least one category.');
  }
  const expected = categoryTask(config).vdaf;
  const given = block.vdaf;
  if (
    given.length !== expected.length ||
    given.bits !== expected.bits ||
    given.chunkLength !== expected.chunkLength
  ) {
    refuse(
      'CONFIG_AGGREGATION_VDAF',
      `The aggregation VDAF (${vdafText(given)}) does not match the ${config.categories.length} categories and clip bounds of this config, which need ${vdafText(expected)}.`,
    );
  }
  if (block.timePrecisionSeconds !== config.epochSeconds) {
    refuse(
      'CONFIG_AGGREGATION_TIME_PRECISION',
      `The aggregation time precision (${block.timePrecisionSeconds} s) must equal the epoch (${config.epochSeconds} s).`,
    );
  }
  if (block.minBatchSize !== config.privacy.kThreshold) {
    refuse(
      'CONFIG_AGGREGATION_MIN_BATCH',
      `The aggregation minimum batch size (${block.minBatchSize}) must equal k (${config.privacy.kThreshold}).`,
    );
  }
}
