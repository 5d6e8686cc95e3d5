/**
 * The task an aggregator runs from the admin-signed union config: verified with the shared config
 * rules (real EIP-712 signatures), built with the operator's secrets, and refused — naming why —
 * when the config is not the admin's, carries no aggregation block, or the secrets are wrong.
 */
import { Wallet } from 'ethers';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { aggregationFor } from '../../extension/protocol/config-aggregation.ts';
import {
  configTypedData,
  type SignedConfig,
  type UnionConfig,
} from '../../extension/protocol/config.ts';
import { unionDomain } from '../../extension/protocol/eip712.ts';
import { STORE_LIMITS } from '../../extension/protocol/privacy-budget.ts';
import { encode } from '../dap/codec.ts';
import { generateHpkeKeypair } from '../dap/hpke.ts';
import { hpkeConfigCodec } from '../dap/upload.ts';
import { helperOptionsFromEnv, startHelper } from '../helper/run-helper.ts';
import { fetchUnionConfig } from './config-env.ts';
import { aggregatorTaskFromConfig } from './from-config.ts';
import { TaskFileError } from './task-file.ts';

/** Hardhat's first two well-known accounts: never hold anything real. */
const admin = new Wallet('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80');
const stranger = new Wallet('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d');
const contract = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const domain = unionDomain(31_337, contract);
const trust = { domain, admin: admin.address, limits: STORE_LIMITS };

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const taskId = new Uint8Array(32).fill(5);
const verifyKey = new Uint8Array(16).fill(9);

const plain: UnionConfig = {
  version: 3,
  issuedAt: 1_767_225_600,
  epochSeconds: 86_400,
  categories: [
    { id: 243, key: 'news', label: 'News', description: 'News sites.', domains: [] },
    { id: 289, key: 'shopping', label: 'Shopping', description: 'Online shops.', domains: [] },
  ],
  privacy: { epsilon: 2, maxVisits: 50, maxActiveSeconds: 14_400, kThreshold: 50 },
  minExtensionVersion: '0.1.0',
};

async function sign(config: UnionConfig, signer = admin): Promise<SignedConfig> {
  const { types, message } = configTypedData(config);
  return {
    config,
    signature: await signer.signTypedData(domain, types, message),
    signer: signer.address,
  };
}

async function withAggregation(helperHpkeConfig?: Uint8Array): Promise<UnionConfig> {
  const helperKey = await generateHpkeKeypair(1);
  return {
    ...plain,
    aggregation: aggregationFor(plain, {
      taskId: b64(taskId),
      leaderUrl: 'https://union.example.org/dap/',
      helperUrl: 'https://helper.example.net/',
      // A real helper's HpkeConfig, as our codec encodes it: the shared rules must accept it.
      helperHpkeConfig: b64(helperHpkeConfig ?? encode(hpkeConfigCodec, helperKey.config)),
      centralEpsilon: 1.5,
    }),
  };
}

async function secrets() {
  const collector = await generateHpkeKeypair(7);
  return {
    verifyKey: b64(verifyKey),
    aggregatorAuthToken: 'a-token-of-at-least-sixteen-chars',
    collectorHpkeConfig: b64(encode(hpkeConfigCodec, collector.config)),
    tolerableClockSkewSeconds: 60,
  };
}

describe('aggregatorTaskFromConfig', () => {
  it('builds the task the config names, with the secrets the operator holds', async () => {
    const config = await withAggregation();
    const task = aggregatorTaskFromConfig(await sign(config), await secrets(), trust);
    expect(task.taskId).toEqual(taskId);
    expect(task.verifyKey).toEqual(verifyKey);
    expect({
      length: task.vdaf.length,
      bits: task.vdaf.bits,
      chunkLength: task.vdaf.chunkLength,
    }).toEqual({ length: 6, bits: 8, chunkLength: 7 });
    expect(task).toMatchObject({
      configVersion: 3,
      leaderUrl: 'https://union.example.org/dap',
      helperUrl: 'https://helper.example.net',
      timePrecisionSeconds: 86_400,
      minBatchSize: 50,
      centralEpsilon: 1.5,
      // The bounds the signed config's devices clip to (maxVisits, ⌈maxActiveSeconds / 60⌉).
      clipBounds: { visits: 50, activeMinutes: 240 },
      tolerableClockSkewSeconds: 60,
      aggregatorAuthToken: 'a-token-of-at-least-sixteen-chars',
    });
    expect(task.collectorHpkeConfig.id).toBe(7);
  });

  it('refuses a config not signed by the union admin, or changed after signing', async () => {
    const config = await withAggregation();
    const good = await secrets();
    const foreign = await sign(config, stranger);
    expect(() => aggregatorTaskFromConfig(foreign, good, trust)).toThrow(
      /not accepted \(CONFIG_WRONG_SIGNER\)/,
    );
    const signed = await sign(config);
    const swapped = {
      ...signed,
      config: { ...config, aggregation: { ...config.aggregation!, centralEpsilon: 8 } },
    };
    expect(() => aggregatorTaskFromConfig(swapped, good, trust)).toThrow(/CONFIG_WRONG_SIGNER/);
    const otherChain = { ...trust, domain: unionDomain(1, contract) };
    expect(() => aggregatorTaskFromConfig(signed, good, otherChain)).toThrow(/CONFIG_WRONG_SIGNER/);
  });

  it('refuses a config whose block breaks the shared rules, with the rule’s code', async () => {
    const config = await withAggregation();
    const good = await secrets();
    const block = config.aggregation!;
    const wrongK = await sign({ ...config, aggregation: { ...block, minBatchSize: 2 } });
    expect(() => aggregatorTaskFromConfig(wrongK, good, trust)).toThrow(
      /CONFIG_AGGREGATION_MIN_BATCH/,
    );
    const local = await sign({
      ...config,
      aggregation: { ...block, helperUrl: 'http://127.0.0.1:8788/' },
    });
    expect(() => aggregatorTaskFromConfig(local, good, trust)).toThrow(/CONFIG_AGGREGATION_URL/);
  });

  it('refuses a config without an aggregation block, and wrong secrets, naming the field', async () => {
    const good = await secrets();
    const unaggregated = await sign(plain);
    expect(() => aggregatorTaskFromConfig(unaggregated, good, trust)).toThrow(TaskFileError);
    expect(() => aggregatorTaskFromConfig(unaggregated, good, trust)).toThrow(
      /version 3 has no aggregation block/,
    );
    const signed = await sign(await withAggregation());
    expect(() =>
      aggregatorTaskFromConfig(signed, { ...good, verifyKey: b64(new Uint8Array(8)) }, trust),
    ).toThrow(/secrets are not valid at verifyKey: 16 bytes/);
    // The task id and the rest come from the signed config only: a secrets file cannot set them.
    expect(() =>
      aggregatorTaskFromConfig(signed, { ...good, taskId: b64(new Uint8Array(32)) }, trust),
    ).toThrow(/secrets are not valid/);
    expect(() =>
      aggregatorTaskFromConfig(signed, { ...good, collectorHpkeConfig: 'AAEC' }, trust),
    ).toThrow(/collectorHpkeConfig does not decode/);
    // A role's own secrets only where that role reads them (the leader's collector token).
    const token = { collectorAuthToken: 'a-collector-token-of-16+' };
    expect(() => aggregatorTaskFromConfig(signed, { ...good, ...token }, trust)).toThrow(
      /secrets are not valid/,
    );
    const own = { collectorAuthToken: z.string().min(16) };
    expect(aggregatorTaskFromConfig(signed, { ...good, ...token }, trust, own).own).toEqual(token);
    expect(() =>
      aggregatorTaskFromConfig(signed, { ...good, collectorAuthToken: 'short' }, trust, own),
    ).toThrow(/secrets are not valid at collectorAuthToken/);
  });
});

describe('the helper process started from the signed config', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'crowdsell-helper-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function files(helperHpkeConfig?: Uint8Array) {
    const configFile = path.join(dir, 'config.json');
    const secretsFile = path.join(dir, 'secrets.json');
    writeFileSync(configFile, JSON.stringify(await sign(await withAggregation(helperHpkeConfig))));
    writeFileSync(secretsFile, JSON.stringify(await secrets()));
    return {
      HELPER_CONFIG_FILE: configFile,
      HELPER_SECRETS_FILE: secretsFile,
      HELPER_UNION_ADMIN: admin.address,
      HELPER_UNION_CHAIN_ID: '31337',
      HELPER_UNION_CONTRACT: contract,
      HELPER_UNION_URL: 'https://union.example.org',
    };
  }

  it('reads HELPER_CONFIG_FILE with the secrets and the union’s pins; member signatures required, from HELPER_UNION_URL’s log', async () => {
    const env = await files();
    const options = helperOptionsFromEnv(env);
    expect(options.task.taskId).toEqual(taskId);
    expect(options.task.leaderUrl).toBe('https://union.example.org/dap');
    expect(options.task.memberSignatures).toEqual({
      domain,
      unionUrl: 'https://union.example.org',
    });
    const { HELPER_UNION_URL: _url, ...noUnion } = env;
    expect(() => helperOptionsFromEnv(noUnion)).toThrow(/HELPER_UNION_URL: required/);
    expect(() =>
      helperOptionsFromEnv({ ...env, HELPER_UNION_URL: 'http://union.example.org' }),
    ).toThrow(/HELPER_UNION_URL must be an https URL/);
  });

  it('refuses a missing pin, a task file as well, or a config from another admin', async () => {
    const env = await files();
    const { HELPER_UNION_ADMIN: _admin, ...noAdmin } = env;
    expect(() => helperOptionsFromEnv(noAdmin)).toThrow(/HELPER_UNION_ADMIN/);
    expect(() =>
      helperOptionsFromEnv({ ...env, HELPER_TASK_FILE: env.HELPER_SECRETS_FILE }),
    ).toThrow(/not both/);
    expect(() => helperOptionsFromEnv({ ...env, HELPER_UNION_ADMIN: stranger.address })).toThrow(
      /CONFIG_WRONG_SIGNER/,
    );
  });

  it('fetches the config from HELPER_CONFIG_URL (the union’s GET /v1/config) instead', async () => {
    const { HELPER_CONFIG_FILE: file, ...pins } = await files();
    const body = readFileSync(file, 'utf8');
    const server = createServer((request, response) => {
      const found = request.url === '/v1/config';
      response.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
      response.end(found ? body : '{}');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const env = { ...pins, HELPER_CONFIG_URL: `${base}/v1/config` };
      const { HELPER_UNION_URL: _url, ...fromUrl } = env;
      const fetched = await fetchUnionConfig(env, 'HELPER', fetch);
      expect(helperOptionsFromEnv(env, fetched).task.taskId).toEqual(taskId);
      // The membership log is read from the union that serves the config.
      expect(helperOptionsFromEnv(fromUrl, fetched).task.memberSignatures?.unionUrl).toBe(base);
      const missing = { ...pins, HELPER_CONFIG_URL: `${base}/v1/nothing` };
      await expect(fetchUnionConfig(missing, 'HELPER', fetch)).rejects.toThrow(/answered 404/);
      const plainHttp = { ...pins, HELPER_CONFIG_URL: 'http://union.example.org/v1/config' };
      await expect(fetchUnionConfig(plainHttp, 'HELPER', fetch)).rejects.toThrow(/https/);
      expect(() => helperOptionsFromEnv({ ...env, HELPER_CONFIG_FILE: file }, fetched)).toThrow(
        /not both/,
      );
    } finally {
      server.close();
    }
  });

  it('starts only when its own HPKE config is the one the config publishes for the helper', async () => {
    const env = { ...(await files()), HELPER_DATA_DIR: path.join(dir, 'helper'), HELPER_PORT: '0' };
    // A fresh database generates a key the config cannot name yet: refused, the key printed.
    const refusal = await startHelper(helperOptionsFromEnv(env)).then(
      () => null,
      (error: Error) => error.message,
    );
    const own = /publish this helper's \(([A-Za-z0-9_-]+)\)/.exec(refusal ?? '')?.[1];
    expect(own, refusal ?? 'started').toBeDefined();
    const published = new Uint8Array(Buffer.from(own!, 'base64url'));
    const helper = await startHelper(helperOptionsFromEnv({ ...env, ...(await files(published)) }));
    try {
      const served = await fetch(`${helper.url}/hpke_config?task_id=${b64(taskId)}`);
      expect(new Uint8Array(await served.arrayBuffer()).slice(2)).toEqual(published);
    } finally {
      await helper.close();
    }
  }, 60_000);
});
