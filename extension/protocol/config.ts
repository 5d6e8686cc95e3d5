/**
 * The union's signed configuration (DESIGN §3) and the rules for accepting one. The extension and
 * the union apply exactly these rules (one source of truth): signed by the union's admin over the
 * EIP-712 `UnionConfig { version, configHash }`, version strictly higher than the one held, every
 * category a known, non-sensitive taxonomy entry, no domain rule naming a sensitive host and no more
 * than `MAX_DOMAIN_RULES` of them, privacy parameters inside `privacyBounds` and the budget of the
 * applying side's `PrivacyLimits` (store limits unless development limits are passed explicitly),
 * and the optional DAP task in `aggregation` consistent with all of that (config-aggregation.ts).
 * The EIP-712 message signs `configHash`, the hash of the whole config's canonical JSON, so the
 * aggregation block is signed with the rest, and a config without it hashes as it always did.
 */
import { keccak256, toUtf8Bytes, verifyTypedData } from 'ethers';
import { z } from 'zod';

import { canonicalJson } from './canonical-json.ts';
import { asTypes, unionConfigTypes, type UnionDomain } from './eip712.ts';
import { aggregationSchema, checkAggregation, checkTaskContinuity } from './config-aggregation.ts';
import { CrowdsellError } from './errors.ts';
import { checkPrivacyLimits, STORE_LIMITS, type PrivacyLimits } from './privacy-budget.ts';
import { privacyParamsSchema } from './privacy-schema.ts';
import { sensitiveHostSubject } from './sensitive-hosts.ts';
import { categoryById, isSensitiveKey } from './taxonomy.ts';
import { addressSchema, signatureSchema, uint16Schema } from './wire.ts';

const hostnameRule = z
  .string()
  .min(3)
  .max(253)
  .regex(
    /^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/,
    'domain rules are lowercase host names like "example.com" (they also match subdomains)',
  );

export const configCategorySchema = z.strictObject({
  id: uint16Schema,
  key: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'category keys are kebab-case'),
  label: z.string().min(1).max(60),
  description: z.string().min(1).max(300),
  domains: z.array(hostnameRule).max(5000),
});

/** Most domain rules a config may carry, all categories together. */
export const MAX_DOMAIN_RULES = 5000;
export type ConfigCategory = z.infer<typeof configCategorySchema>;

/** Epochs are aligned to the Unix epoch (UTC); lengths divide or are multiples of one day. */
/** The longest epoch a config may set: one week. */
export const MAX_EPOCH_SECONDS = 7 * 86_400;

export const epochSecondsSchema = z
  .number()
  .int()
  .min(60)
  .max(MAX_EPOCH_SECONDS)
  .refine(
    (s) => 86_400 % s === 0 || s % 86_400 === 0,
    'epochSeconds must divide a day (e.g. 3600) or be a whole number of days',
  );

export const unionConfigSchema = z.strictObject({
  version: z
    .number()
    .int()
    .min(1)
    .max(2 ** 32 - 1),
  issuedAt: z.number().int().min(0),
  epochSeconds: epochSecondsSchema,
  categories: z
    .array(configCategorySchema)
    .max(512)
    .refine(
      (cs) => new Set(cs.map((c) => c.id)).size === cs.length,
      'a category appears only once',
    ),
  privacy: privacyParamsSchema,
  minExtensionVersion: z.string().regex(/^\d+\.\d+\.\d+$/, 'minExtensionVersion is x.y.z'),
  /** The DAP task (config-aggregation.ts); absent: plain reports only, hashed exactly as before. */
  aggregation: aggregationSchema.optional(),
});
export type UnionConfig = z.infer<typeof unionConfigSchema>;

export const signedConfigSchema = z.strictObject({
  config: unionConfigSchema,
  signature: signatureSchema,
  signer: addressSchema,
});
export type SignedConfig = z.infer<typeof signedConfigSchema>;

export function configHash(config: UnionConfig): string {
  return keccak256(toUtf8Bytes(canonicalJson(config)));
}

/** The EIP-712 message the admin signs for a config. */
export function configTypedData(config: UnionConfig) {
  return {
    types: asTypes(unionConfigTypes),
    primaryType: 'UnionConfig' as const,
    message: { version: config.version, configHash: configHash(config) },
  };
}

/** No rule names a sensitive host (shipped list or trip-wire word); not too many rules. */
function checkDomainRules(config: UnionConfig): void {
  let count = 0;
  for (const category of config.categories) {
    count += category.domains.length;
    for (const host of category.domains) {
      const subject = sensitiveHostSubject(host);
      if (subject !== null) {
        throw new CrowdsellError(
          'CONFIG_SENSITIVE_HOST',
          `The config’s rule “${host}” for “${category.key}” names a sensitive site (${subject}), which can never be counted.`,
        );
      }
    }
  }
  if (count > MAX_DOMAIN_RULES) {
    throw new CrowdsellError(
      'CONFIG_TOO_MANY_RULES',
      `The config has ${count} domain rules; at most ${MAX_DOMAIN_RULES} are accepted.`,
    );
  }
}

/**
 * Rules that need no signature: every category known and not sensitive, no rule naming a sensitive
 * host, privacy parameters (local and central ε) within `limits` (store limits unless told
 * otherwise), and an aggregation block, if any, that matches the rest of the config.
 */
export function checkConfigContent(
  config: UnionConfig,
  limits: PrivacyLimits = STORE_LIMITS,
): void {
  for (const category of config.categories) {
    if (isSensitiveKey(category.key)) {
      throw new CrowdsellError(
        'CONFIG_SENSITIVE_CATEGORY',
        `The config names the sensitive category “${category.key}”, which can never be collected.`,
      );
    }
    const known = categoryById(category.id);
    if (!known) {
      throw new CrowdsellError(
        'CONFIG_UNKNOWN_CATEGORY',
        `The config names category ${category.id}, which this version of Crowdsell does not know; update the extension.`,
      );
    }
    if (known.key !== category.key) {
      throw new CrowdsellError(
        'CONFIG_CATEGORY_MISMATCH',
        `Category ${category.id} is “${known.key}” in the taxonomy, not “${category.key}”.`,
      );
    }
  }
  checkDomainRules(config);
  checkPrivacyLimits(config, limits);
  checkAggregation(config, limits);
}

export interface AcceptConfigOptions {
  domain: UnionDomain;
  /** The union's admin address; only its signature is accepted. */
  admin: string;
  /** The version currently held, if any; the new one must be strictly higher. */
  currentVersion?: number | undefined;
  /** The config currently held, if any: a DAP task id it names keeps its parameters. */
  previous?: UnionConfig | undefined;
  /** The budget and floors to apply; store limits unless a development build or union says so. */
  limits?: PrivacyLimits | undefined;
}

/**
 * Parses and verifies a signed config. Throws `CrowdsellError` with a stable code and a sentence
 * on any problem; the caller keeps its last good config.
 */
export function acceptSignedConfig(input: unknown, options: AcceptConfigOptions): SignedConfig {
  const parsed = signedConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') ?? '';
    throw new CrowdsellError(
      'CONFIG_MALFORMED',
      `The union config is malformed${where ? ` at ${where}` : ''}: ${issue?.message ?? 'invalid'}.`,
    );
  }
  const signed = parsed.data;
  const { types, message } = configTypedData(signed.config);
  let recovered: string;
  try {
    recovered = verifyTypedData(options.domain, types, message, signed.signature);
  } catch {
    throw new CrowdsellError('CONFIG_BAD_SIGNATURE', 'The union config’s signature is invalid.');
  }
  if (recovered.toLowerCase() !== options.admin.toLowerCase()) {
    throw new CrowdsellError(
      'CONFIG_WRONG_SIGNER',
      'The union config is not signed by this union’s admin.',
    );
  }
  if (signed.signer.toLowerCase() !== recovered.toLowerCase()) {
    throw new CrowdsellError(
      'CONFIG_WRONG_SIGNER',
      'The config’s signer field does not match its signature.',
    );
  }
  if (options.currentVersion !== undefined && signed.config.version <= options.currentVersion) {
    throw new CrowdsellError(
      'CONFIG_ROLLBACK',
      `Config version ${signed.config.version} is not newer than the version held (${options.currentVersion}).`,
    );
  }
  checkConfigContent(signed.config, options.limits ?? STORE_LIMITS);
  checkTaskContinuity(options.previous, signed.config);
  return signed;
}
