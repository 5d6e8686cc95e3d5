/**
 * Deployment as `npm start` and a real-chain deploy use it: over JSON-RPC, from the library and
 * from the CLI. Protects: a deployment is complete and wired (product pays the DataUnion), and a
 * misconfigured CLI says what is wrong instead of half-deploying.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRpc, devAccount, signerFor, startChainServer } from './chain.ts';
import { repoRoot } from './compile.ts';
import type { ChainServer } from './chain.ts';
import { DEFAULT_PRICE_PER_SECOND, deployCrowdsell } from './deploy.ts';
import type { Deployment } from './deploy.ts';
import { parseDeployEnv } from './deploy-env.ts';
import { unionProductId } from './factory.ts';
import { dataUnionAt } from './generated/data-union.ts';
import { marketplaceAt } from './generated/marketplace.ts';

let server: ChainServer;

beforeAll(async () => {
  server = await startChainServer({ port: 0 });
});
afterAll(() => server.close());

async function expectWired(deployment: Deployment): Promise<void> {
  const provider = connectRpc(server.url);
  const union = dataUnionAt(deployment.dataUnion, provider);
  const product = await marketplaceAt(deployment.marketplace, provider).getProduct(
    deployment.productId,
  );
  expect(product.beneficiary).toBe(deployment.dataUnion);
  expect(product.token).toBe(deployment.token);
  // The admin owns the product (so they can reprice or stop it), not the factory.
  expect(product.owner).toBe(deployment.admin);
  expect(product.active).toBe(true);
  expect(await union.token()).toBe(deployment.token);
  expect(await union.owner()).toBe(deployment.admin);
  expect(await union.operator()).toBe(deployment.operator);
  expect(deployment.chainId).toBe('31337');
}

describe('deployCrowdsell', () => {
  it('deploys token, template, marketplace and factory, and creates a union with its product over JSON-RPC', async () => {
    const deployer = signerFor(devAccount(0).privateKey, connectRpc(server.url));
    const deployment = await deployCrowdsell(deployer, { operator: devAccount(1).address });
    await expectWired(deployment);
    expect(deployment.testToken).toBe(true);
    expect(deployment.admin).toBe(devAccount(0).address);
    expect(deployment.operator).toBe(devAccount(1).address);
    expect(deployment.productId).toBe(unionProductId(deployment.dataUnion));
    const product = await marketplaceAt(deployment.marketplace, deployer).getProduct(
      deployment.productId,
    );
    expect(product.pricePerSecond).toBe(DEFAULT_PRICE_PER_SECOND);
  });

  it('reuses an existing token and marketplace', async () => {
    const deployer = signerFor(devAccount(2).privateKey, connectRpc(server.url));
    const first = await deployCrowdsell(deployer);
    const second = await deployCrowdsell(deployer, {
      token: first.token,
      marketplace: first.marketplace,
    });
    await expectWired(second);
    expect(second.testToken).toBe(false);
    expect([second.token, second.marketplace]).toEqual([first.token, first.marketplace]);
    expect(second.dataUnion).not.toBe(first.dataUnion);
    expect(second.factory).not.toBe(first.factory);
  });

  it('creates another union through an existing factory, its admin being whoever sends it', async () => {
    const first = await deployCrowdsell(
      signerFor(devAccount(4).privateKey, connectRpc(server.url)),
    );
    const otherAdmin = signerFor(devAccount(5).privateKey, connectRpc(server.url));
    const second = await deployCrowdsell(otherAdmin, {
      factory: first.factory,
      token: first.token,
      metadataUrl: 'https://second.union.example',
    });
    await expectWired(second);
    expect(second.admin).toBe(devAccount(5).address);
    expect([second.template, second.marketplace]).toEqual([first.template, first.marketplace]);
    expect(second.dataUnion).not.toBe(first.dataUnion);
  });

  it('refuses a marketplace the deployer does not own, before deploying anything else', async () => {
    const first = await deployCrowdsell(
      signerFor(devAccount(6).privateKey, connectRpc(server.url)),
    );
    const stranger = signerFor(devAccount(7).privateKey, connectRpc(server.url));
    const nonce = await stranger.getNonce();
    await expect(deployCrowdsell(stranger, { marketplace: first.marketplace })).rejects.toThrow(
      /is owned by .*, not the deployer .*: only its owner can make a new factory a lister/,
    );
    expect(await stranger.getNonce()).toBe(nonce);
  });
});

describe('deploy CLI', () => {
  it('explains every missing or malformed variable', () => {
    expect(() => parseDeployEnv({})).toThrow(/RPC_URL[\s\S]*DEPLOYER_KEY/);
    expect(() =>
      parseDeployEnv({ RPC_URL: 'http://127.0.0.1:8545', DEPLOYER_KEY: '0x1234' }),
    ).toThrow(/DEPLOYER_KEY must be a 0x-prefixed 32-byte hex key/);
    expect(() =>
      parseDeployEnv({
        RPC_URL: 'http://127.0.0.1:8545',
        DEPLOYER_KEY: devAccount(0).privateKey,
        FREEZE_PERIOD_SECONDS: '1 day',
      }),
    ).toThrow(/FREEZE_PERIOD_SECONDS: must be a non-negative integer/);
    expect(() =>
      parseDeployEnv({
        RPC_URL: 'http://127.0.0.1:8545',
        DEPLOYER_KEY: devAccount(0).privateKey,
        ADMIN_ADDRESS: devAccount(1).address,
      }),
    ).toThrow(/ADMIN_ADDRESS: is no longer supported: the deployer becomes the admin/);
    const throughFactory = {
      RPC_URL: 'http://127.0.0.1:8545',
      DEPLOYER_KEY: devAccount(0).privateKey,
      FACTORY_ADDRESS: devAccount(1).address,
    };
    expect(() => parseDeployEnv(throughFactory)).toThrow(
      /TOKEN_ADDRESS: must be set with FACTORY_ADDRESS/,
    );
    expect(() =>
      parseDeployEnv({
        ...throughFactory,
        TOKEN_ADDRESS: devAccount(2).address,
        MARKETPLACE_ADDRESS: devAccount(3).address,
      }),
    ).toThrow(/MARKETPLACE_ADDRESS: cannot be combined with FACTORY_ADDRESS/);
    for (const seconds of ['0', '59', String(30 * 86_400 + 1)]) {
      expect(() =>
        parseDeployEnv({
          RPC_URL: 'http://127.0.0.1:8545',
          DEPLOYER_KEY: devAccount(0).privateKey,
          FREEZE_PERIOD_SECONDS: seconds,
        }),
      ).toThrow(/FREEZE_PERIOD_SECONDS: must be from 60 seconds \(time to revoke a bad root\)/);
    }
  });

  it('turns optional variables into deploy parameters', () => {
    const env = parseDeployEnv({
      RPC_URL: 'http://127.0.0.1:8545',
      DEPLOYER_KEY: devAccount(0).privateKey,
      OPERATOR_ADDRESS: devAccount(1).address,
      FREEZE_PERIOD_SECONDS: '600',
      ADMIN_FEE_FRACTION: '100000000000000000',
      FACTORY_ADDRESS: devAccount(2).address,
      TOKEN_ADDRESS: devAccount(3).address,
      METADATA_URL: 'https://union.example',
    });
    expect(env.params).toEqual({
      operator: devAccount(1).address,
      freezePeriodSeconds: 600n,
      adminFeeFraction: 10n ** 17n,
      factory: devAccount(2).address,
      token: devAccount(3).address,
      metadataUrl: 'https://union.example',
    });
  });

  it('deploys from the environment and prints the addresses as JSON', async () => {
    const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
    const { stdout } = await promisify(execFile)(tsx, ['contracts/deploy.ts'], {
      cwd: repoRoot,
      env: { ...process.env, RPC_URL: server.url, DEPLOYER_KEY: devAccount(3).privateKey },
    });
    const deployment = JSON.parse(stdout) as Deployment;
    await expectWired(deployment);
    expect(deployment.admin).toBe(devAccount(3).address);
  });
});
