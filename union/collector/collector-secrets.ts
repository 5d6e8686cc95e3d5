/**
 * What only the union holds as the DAP collector: the collector auth token (the leader's
 * collection jobs and contributions route take it) and the collector's HPKE keypair (the
 * aggregators seal their aggregate shares to its public config). Read from a JSON file named by
 * `COLLECTOR_SECRETS_FILE`, like the aggregators' own secrets files (aggregator/task/config-env.ts):
 *
 *   { "collectorAuthToken": "<the leader's collectorAuthToken>",
 *     "collectorHpkeConfig": "<HpkeConfig, DAP encoding, unpadded base64url>",
 *     "collectorHpkePrivateKey": "<its private key, unpadded base64url>" }
 *
 * The config's public half is the `collectorHpkeConfig` both aggregators' secrets name.
 */
import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

import { decode } from '../../aggregator/dap/codec.ts';
import type { HpkeKeypair } from '../../aggregator/dap/hpke.ts';
import { hpkeConfigCodec } from '../../aggregator/dap/upload.ts';
import { base64UrlBytes } from '../../extension/protocol/config-aggregation.ts';

const base64Url = (what: string) =>
  z
    .string()
    .min(1)
    .refine((s) => base64UrlBytes(s) !== null, `${what} is unpadded, canonical base64url`);

export const collectorSecretsSchema = z.strictObject({
  collectorAuthToken: z.string().min(16, 'collectorAuthToken is at least 16 characters'),
  collectorHpkeConfig: base64Url('collectorHpkeConfig'),
  collectorHpkePrivateKey: base64Url('collectorHpkePrivateKey'),
});
export type CollectorSecrets = z.infer<typeof collectorSecretsSchema>;

export interface Collector {
  readonly token: string;
  readonly keypair: HpkeKeypair;
}

/** The collector from its secrets; throws an Error naming what is wrong. */
export function collectorFrom(secrets: CollectorSecrets): Collector {
  let config;
  try {
    config = decode(
      hpkeConfigCodec,
      base64UrlBytes(secrets.collectorHpkeConfig)!,
      'collector HPKE config',
    );
  } catch (error) {
    throw new Error('collectorHpkeConfig is not a DAP-encoded HpkeConfig.', { cause: error });
  }
  return {
    token: secrets.collectorAuthToken,
    keypair: { config, privateKey: base64UrlBytes(secrets.collectorHpkePrivateKey)! },
  };
}

/** Reads and checks `COLLECTOR_SECRETS_FILE`; throws a sentence naming the file and the field. */
export function readCollectorSecrets(file: string): CollectorSecrets {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`COLLECTOR_SECRETS_FILE ${file} could not be read as JSON.`, { cause: error });
  }
  const parsed = collectorSecretsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `COLLECTOR_SECRETS_FILE ${file}: ${issue?.path.join('.') || 'file'}: ${issue?.message}.`,
    );
  }
  return parsed.data;
}

/** The secrets file's fields for a keypair (what `npm start` and tests write). */
export function collectorSecretsOf(token: string, keypair: HpkeKeypair, encodedConfig: Uint8Array) {
  return {
    collectorAuthToken: token,
    collectorHpkeConfig: Buffer.from(encodedConfig).toString('base64url'),
    collectorHpkePrivateKey: Buffer.from(keypair.privateKey).toString('base64url'),
  } satisfies CollectorSecrets;
}
