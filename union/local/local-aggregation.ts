/**
 * The local union's DAP task (`npm start`), prepared before the union starts, so the union's
 * signed config can carry the `aggregation` block from its first version: everything secret is
 * generated once into `<data folder>/aggregation/secrets.json` (mode 0600: task id, VDAF verify
 * key, aggregator token, collector token and HPKE keypair), and each aggregator's HPKE key is
 * created in its own PGlite folder (`aggregation/leader/db`, `aggregation/helper/db`, where the
 * processes open them), so the block can publish both keys and each process, started from the
 * config, finds its own key published.
 *
 * What each party gets: the union the collector's secrets (`collector`), the helper and the leader
 * a secrets file each with only the shared task secrets (and the leader its collector token) —
 * the files their `<ROLE>_SECRETS_FILE` names.
 */
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { encode } from '../../aggregator/dap/codec.ts';
import { generateHpkeKeypair } from '../../aggregator/dap/hpke.ts';
import { hpkeConfigCodec } from '../../aggregator/dap/upload.ts';
import { loadOrCreateKeypairs } from '../../aggregator/db/hpke-keys.ts';
import type { RoleSchema } from '../../aggregator/db/role-schema.ts';
import { helperSchema } from '../../aggregator/helper/db/schema.ts';
import { leaderSchema } from '../../aggregator/leader/db/schema.ts';
import {
  aggregationFor,
  type AggregationBlock,
} from '../../extension/protocol/config-aggregation.ts';
import type { UnionConfig } from '../../extension/protocol/config.ts';
import {
  collectorSecretsOf,
  collectorSecretsSchema,
  type CollectorSecrets,
} from '../collector/collector-secrets.ts';

/**
 * The central ε the local task releases its sums under (per epoch, each aggregator's noise): with
 * the default local ε of 2 the device's budget stays within the store's daily cap of 8. The demo's
 * 60 members are far too few for readable sums at any ε (its standard errors say so).
 */
export const LOCAL_CENTRAL_EPSILON = 4;

export interface LocalAggregation {
  /** `<data folder>/aggregation`. */
  readonly folder: string;
  readonly taskId: string;
  /** What the union takes as `collector`. */
  readonly collector: CollectorSecrets;
  /** The aggregation block for `config` with this task, these ports and both published keys. */
  block(config: Omit<UnionConfig, 'aggregation'>): AggregationBlock;
  readonly helperSecretsFile: string;
  readonly leaderSecretsFile: string;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const SECRET = { mode: 0o600 } as const;

interface TaskSecrets extends CollectorSecrets {
  readonly taskId: string;
  readonly verifyKey: string;
  readonly aggregatorAuthToken: string;
}

async function taskSecrets(file: string): Promise<TaskSecrets> {
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as TaskSecrets;
    collectorSecretsSchema.parse({
      collectorAuthToken: stored.collectorAuthToken,
      collectorHpkeConfig: stored.collectorHpkeConfig,
      collectorHpkePrivateKey: stored.collectorHpkePrivateKey,
    });
    return stored;
  }
  const collector = await generateHpkeKeypair(1);
  const secrets: TaskSecrets = {
    taskId: b64(randomBytes(32)),
    verifyKey: b64(randomBytes(16)),
    aggregatorAuthToken: b64(randomBytes(32)),
    ...collectorSecretsOf(
      b64(randomBytes(32)),
      collector,
      encode(hpkeConfigCodec, collector.config),
    ),
  };
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, SECRET);
  return secrets;
}

/** The role's HPKE config (DAP encoding), created in its database folder if it has none. */
async function roleKey(schema: RoleSchema, folder: string): Promise<Uint8Array> {
  const db = await schema.open({ driver: 'pglite', dataDir: path.join(folder, 'db') });
  try {
    return encode(hpkeConfigCodec, (await loadOrCreateKeypairs(db))[0]!.config);
  } finally {
    await db.close();
  }
}

export async function prepareLocalAggregation(options: {
  readonly dataDir: string;
  readonly helperPort: number;
  readonly leaderPort: number;
}): Promise<LocalAggregation> {
  const folder = path.join(options.dataDir, 'aggregation');
  mkdirSync(folder, { recursive: true });
  const secrets = await taskSecrets(path.join(folder, 'secrets.json'));
  const helperKey = await roleKey(helperSchema, path.join(folder, 'helper'));
  const leaderKey = await roleKey(leaderSchema, path.join(folder, 'leader'));
  const shared = {
    verifyKey: secrets.verifyKey,
    aggregatorAuthToken: secrets.aggregatorAuthToken,
    collectorHpkeConfig: secrets.collectorHpkeConfig,
    tolerableClockSkewSeconds: 60,
  };
  const helperSecretsFile = path.join(folder, 'helper-secrets.json');
  const leaderSecretsFile = path.join(folder, 'leader-secrets.json');
  writeFileSync(helperSecretsFile, `${JSON.stringify(shared, null, 2)}\n`, SECRET);
  writeFileSync(
    leaderSecretsFile,
    `${JSON.stringify({ ...shared, collectorAuthToken: secrets.collectorAuthToken }, null, 2)}\n`,
    SECRET,
  );
  return {
    folder,
    taskId: secrets.taskId,
    collector: {
      collectorAuthToken: secrets.collectorAuthToken,
      collectorHpkeConfig: secrets.collectorHpkeConfig,
      collectorHpkePrivateKey: secrets.collectorHpkePrivateKey,
    },
    block: (config) =>
      aggregationFor(config, {
        taskId: secrets.taskId,
        leaderUrl: `http://127.0.0.1:${options.leaderPort}/`,
        helperUrl: `http://127.0.0.1:${options.helperPort}/`,
        helperHpkeConfig: b64(helperKey),
        leaderHpkeConfig: b64(leaderKey),
        centralEpsilon: LOCAL_CENTRAL_EPSILON,
      }),
    helperSecretsFile,
    leaderSecretsFile,
  };
}
