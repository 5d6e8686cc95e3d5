/**
 * What the two operators of a config task hold for process tests: the shared secrets (VDAF verify
 * key, aggregator auth token, collector HPKE config, clock skew) written to each role's secrets
 * file — the leader's with the collector's token too — and each role's environment pinning the
 * union whose signed config names the task (config URL, admin, chain, contract, development limits).
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { encode } from '../dap/codec.ts';
import { generateHpkeKeypair } from '../dap/hpke.ts';
import { hpkeConfigCodec } from '../dap/upload.ts';

export interface UnionPins {
  readonly unionUrl: string;
  readonly admin: string;
  readonly chainId: number;
  readonly contract: string;
}

export async function configTaskOperators(dir: string, union: UnionPins) {
  const collector = await generateHpkeKeypair(3);
  const shared = {
    verifyKey: Buffer.from(randomBytes(16)).toString('base64url'),
    aggregatorAuthToken: randomBytes(24).toString('base64url'),
    collectorHpkeConfig: Buffer.from(encode(hpkeConfigCodec, collector.config)).toString(
      'base64url',
    ),
    tolerableClockSkewSeconds: 60,
  };
  const helperSecrets = path.join(dir, 'helper-secrets.json');
  const leaderSecrets = path.join(dir, 'leader-secrets.json');
  writeFileSync(helperSecrets, JSON.stringify(shared));
  writeFileSync(
    leaderSecrets,
    JSON.stringify({ ...shared, collectorAuthToken: randomBytes(24).toString('base64url') }),
  );
  const pins = (role: 'LEADER' | 'HELPER', secrets: string): Record<string, string> => ({
    [`${role}_CONFIG_URL`]: `${union.unionUrl}/v1/config`,
    [`${role}_SECRETS_FILE`]: secrets,
    [`${role}_UNION_ADMIN`]: union.admin,
    [`${role}_UNION_CHAIN_ID`]: String(union.chainId),
    [`${role}_UNION_CONTRACT`]: union.contract,
    [`${role}_PRIVACY_LIMITS`]: 'development',
  });
  return {
    shared,
    helperEnv: pins('HELPER', helperSecrets),
    leaderEnv: pins('LEADER', leaderSecrets),
  };
}
