/**
 * The whole local union in one process, for `npm start` and the end-to-end tests: a persistent
 * Hardhat chain on 127.0.0.1, the contracts deployed once (and found again after a restart), the
 * union server on PGlite in the data folder with a signed default config, and a dev app secret.
 *
 * Dev accounts (Hardhat's public mnemonic, worthless outside this chain): 0 admin/deployer,
 * 1 operator, 2 researcher.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { parseUnits } from 'ethers';

import { connectRpc, devAccount, signerFor } from '../../contracts/chain.ts';
import { deployCrowdsell, type Deployment } from '../../contracts/deploy.ts';
import { testTokenAt } from '../../contracts/generated/test-token.ts';
import { unionDomain } from '../../extension/protocol/eip712.ts';
import { startUnion, type UnionServer } from '../app.ts';
import { generateAppSecret } from '../domain/app-secret.ts';
import { secretsRepo } from '../repo/secrets-repo.ts';
import type { LocalAggregation } from './local-aggregation.ts';
import { defaultLocalConfig, signConfig } from './default-config.ts';
import { deploymentRecord, readDeploymentRecord } from './deployment-record.ts';
import { startPersistentChain } from './persistent-chain.ts';

export const DEV_ROLES = { admin: 0, operator: 1, researcher: 2 } as const;
/** Demo speed: a report makes its member active at the end of its minute (a UTC day in production). */
export const LOCAL_ACTIVITY_BATCH_SECONDS = 60;

export interface LocalUnionOptions {
  dataDir: string;
  chainPort: number;
  unionPort: number;
  /** Delete the data folder first. */
  reset?: boolean;
  /** Freeze period of the DataUnion on a fresh deploy (demo speed by default). */
  freezePeriodSeconds?: bigint;
  epochSeconds?: number;
  /** How often the committer may commit a root (demo speed by default). */
  commitPeriodSeconds?: number;
  logLevel?: 'info' | 'warn' | 'error' | 'silent';
  /**
   * How long after its end the union accepts an epoch's reports; the product publishes the epoch
   * once that has passed (default 7 days, as in production).
   */
  acceptanceWindowSeconds?: number;
  /** Wait after the acceptance window before publishing (default 300 s). */
  productGraceSeconds?: number;
  /** Membership activity batch (default one minute here: demo speed; a UTC day in production). */
  activityBatchSeconds?: number;
  /** How often the product job runs (default every minute; 0 = only on demand). */
  productIntervalMs?: number;
  /**
   * Private aggregation (issue 17): a fresh union's first config carries this task's aggregation
   * block, and the union collects with these secrets (local-aggregation.ts). An existing data
   * folder keeps the config it has.
   */
  aggregation?: Pick<LocalAggregation, 'collector' | 'block'>;
}

export interface LocalUnion {
  chainUrl: string;
  unionUrl: string;
  deployment: Deployment;
  appSecret: string;
  dataDir: string;
  freshDeploy: boolean;
  /** The running union server (its jobs can be run on demand: `server.monoplasma.commit()`). */
  server: UnionServer;
  close(): Promise<void>;
}

export class LocalUnionError extends Error {}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

export async function startLocalUnion(options: LocalUnionOptions): Promise<LocalUnion> {
  const dataDir = path.resolve(options.dataDir);
  if (options.reset) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const deploymentFile = path.join(dataDir, 'deployment.json');
  const secretFile = path.join(dataDir, 'dev-app-secret.txt');
  const dbDir = path.join(dataDir, 'db');

  if (!existsSync(deploymentFile) && existsSync(dbDir)) {
    throw new LocalUnionError(
      `${dataDir} holds a union database but no deployment record, so it cannot be matched to a chain. Run \`npm start -- --reset\` to start afresh.`,
    );
  }

  const chain = await startPersistentChain({ dataDir, port: options.chainPort });
  try {
    const rpc = connectRpc(chain.url);
    const admin = signerFor(devAccount(DEV_ROLES.admin).privateKey, rpc);
    let deployment: Deployment;
    let freshDeploy = false;
    if (existsSync(deploymentFile)) {
      const record = readDeploymentRecord(readJson(deploymentFile));
      if (record.kind === 'stale') {
        throw new LocalUnionError(
          `The contracts in ${dataDir} were deployed from an older build of contracts/*.sol, which this version of the extension, console and union cannot use. Run \`npm start -- --reset\` to deploy the current contracts (this deletes ${dataDir}).`,
        );
      }
      deployment = record.deployment;
      const code = await rpc.getCode(deployment.dataUnion);
      if (code === '0x') {
        throw new LocalUnionError(
          `The chain at ${chain.url} has no DataUnion at ${deployment.dataUnion}: the data in ${dataDir} belongs to another chain. Run \`npm start -- --reset\` to start afresh (this deletes ${dataDir}).`,
        );
      }
    } else {
      deployment = await deployCrowdsell(admin, {
        operator: devAccount(DEV_ROLES.operator).address,
        // The marketplace page fetches the union's datasheet and sample from here.
        metadataUrl: `http://127.0.0.1:${options.unionPort}`,
        freezePeriodSeconds: options.freezePeriodSeconds ?? 120n,
        adminFeeFraction: parseUnits('0.1', 18),
      });
      const researcher = devAccount(DEV_ROLES.researcher).address;
      await (
        await testTokenAt(deployment.token, admin).mint(researcher, parseUnits('1000', 18))
      ).wait();
      writeFileSync(deploymentFile, deploymentRecord(deployment));
      freshDeploy = true;
    }

    const chainId = Number(deployment.chainId);
    const domain = unionDomain(chainId, deployment.dataUnion);
    // Dated back over the acceptance window, so reports for every epoch the union still accepts
    // have a config in force (the demo's members report the last few days). Under private
    // aggregation every epoch from the config's issue on gets a collection job, so only the
    // window and two epochs back (not eight days of one-minute epochs).
    const dateBack = options.aggregation
      ? (options.acceptanceWindowSeconds ?? 7 * 86_400) + 2 * (options.epochSeconds ?? 86_400)
      : 8 * 86_400;
    const plain = defaultLocalConfig(
      Math.floor(Date.now() / 1000) - dateBack,
      options.epochSeconds,
    );
    const initialConfig = await signConfig(
      options.aggregation ? { ...plain, aggregation: options.aggregation.block(plain) } : plain,
      admin,
      domain,
    );
    const union = await startUnion({
      chainId,
      dataUnion: deployment.dataUnion,
      admin: deployment.admin,
      operator: deployment.operator,
      contracts: {
        marketplace: deployment.marketplace,
        token: deployment.token,
        // The console's "Create a union" creates the next union through the same factory.
        factory: deployment.factory,
      },
      // The local chain is public to this machine: the marketplace page reads it without a wallet.
      publicRpcUrl: chain.url,
      database: { driver: 'pglite', dataDir: dbDir },
      port: options.unionPort,
      initialConfig,
      ...(options.aggregation ? { collector: options.aggregation.collector } : {}),
      // The local union serves development builds (`npm start`, the e2e money loop): one-minute
      // epochs and a small k are allowed here, and only here.
      developmentPrivacyLimits: true,
      ...(options.acceptanceWindowSeconds === undefined
        ? {}
        : { acceptanceWindowSeconds: options.acceptanceWindowSeconds }),
      // Demo speed: a report makes its member active at the end of its minute, not of its day.
      activityBatchSeconds: options.activityBatchSeconds ?? LOCAL_ACTIVITY_BATCH_SECONDS,
      ...(options.productGraceSeconds === undefined
        ? {}
        : { productGraceSeconds: options.productGraceSeconds }),
      ...(options.productIntervalMs === undefined
        ? {}
        : { productIntervalMs: options.productIntervalMs }),
      logLevel: options.logLevel ?? 'warn',
      // The popup, the console, the demo's simulated members and the e2e tests all come from
      // 127.0.0.1 here: a per-IP limit on earnings and product reads, or on joins, would only
      // throttle the demo itself.
      rateLimits: { publicReadsPerIp: 0, joinsPerIp: 0 },
      // Demo speed: watch the chain every 2 s, commit a root every minute when earnings changed;
      // members earn from the moment they join. The minimum withdrawal covers the relay's gas at
      // 1 gwei with the test token worth as much as the chain's coin: 0.00011 TEST.
      chain: {
        rpcUrl: chain.url,
        operatorKey: devAccount(DEV_ROLES.operator).privateKey,
        tokenAddress: deployment.token,
        startBlock: deployment.startBlock,
        confirmations: 1,
        commitPeriodSeconds: options.commitPeriodSeconds ?? 60,
        pollIntervalMs: 2000,
        minMembershipAgeSeconds: 0,
        relayGasPriceWei: parseUnits('1', 'gwei').toString(),
        tokenUnitsPerNativeCoin: parseUnits('1', 18).toString(),
      },
      product: {
        rpcUrl: chain.url,
        marketplace: deployment.marketplace,
        productId: deployment.productId,
      },
    });

    let appSecret: string;
    if (existsSync(secretFile)) {
      appSecret = readFileSync(secretFile, 'utf8').trim();
    } else {
      const fresh = generateAppSecret();
      await secretsRepo.insert(union.db, {
        id: fresh.id,
        hash: fresh.hash,
        label: 'dev secret baked into the local extension build',
        maxUses: null,
        expiresAt: null,
      });
      writeFileSync(secretFile, `${fresh.secret}\n`, { mode: 0o600 });
      appSecret = fresh.secret;
    }

    return {
      chainUrl: chain.url,
      unionUrl: union.url,
      deployment,
      appSecret,
      dataDir,
      freshDeploy,
      server: union,
      async close() {
        await union.close();
        await chain.close();
      },
    };
  } catch (error) {
    await chain.close();
    throw error;
  }
}
