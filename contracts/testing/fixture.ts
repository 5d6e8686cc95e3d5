/**
 * A union on the in-process EVM, created the only way unions are made: `deploy.ts` deploys the
 * template, Marketplace and factory, and the factory makes the union as a clone (so every suite
 * runs on a clone). Typed contracts and named signers, plus the chain controls tests need
 * (snapshots, time travel). Deploy once per file, snapshot, revert per test.
 */
import type { BrowserProvider, JsonRpcSigner } from 'ethers';
import { inProcessEthers } from '../chain.ts';
import { deployCrowdsell } from '../deploy.ts';
import type { DeployParams, Deployment } from '../deploy.ts';
import { dataUnionAt } from '../generated/data-union.ts';
import type { DataUnionContract } from '../generated/data-union.ts';
import { marketplaceAt } from '../generated/marketplace.ts';
import type { MarketplaceContract } from '../generated/marketplace.ts';
import { testTokenAt } from '../generated/test-token.ts';
import type { TestTokenContract } from '../generated/test-token.ts';

export const FREEZE_PERIOD = 3_600n;

export interface UnionFixture {
  readonly provider: BrowserProvider;
  readonly chainId: bigint;
  readonly deployment: Deployment;
  /** Deployer, Marketplace owner, DataUnion admin and product owner (dev account 0). */
  readonly admin: JsonRpcSigner;
  /** Commits roots (dev account 1). */
  readonly operator: JsonRpcSigner;
  /** Relays signed withdrawals (dev account 2). */
  readonly relayer: JsonRpcSigner;
  /** Buys subscriptions (dev account 3). */
  readonly researcher: JsonRpcSigner;
  /** Dev accounts 4..19, for members and strangers. */
  readonly others: readonly JsonRpcSigner[];
  readonly token: TestTokenContract;
  readonly union: DataUnionContract;
  readonly market: MarketplaceContract;
}

export async function unionFixture(params: DeployParams = {}): Promise<UnionFixture> {
  const provider = await inProcessEthers();
  const signers = await Promise.all(Array.from({ length: 20 }, (_, i) => provider.getSigner(i)));
  const [admin, operator, relayer, researcher, ...others] = signers;
  if (!admin || !operator || !relayer || !researcher) throw new Error('missing dev accounts');
  const deployment = await deployCrowdsell(admin, {
    operator: operator.address,
    freezePeriodSeconds: FREEZE_PERIOD,
    ...params,
  });
  return {
    provider,
    chainId: BigInt(deployment.chainId),
    deployment,
    admin,
    operator,
    relayer,
    researcher,
    others,
    token: testTokenAt(deployment.token, admin),
    union: dataUnionAt(deployment.dataUnion, admin),
    market: marketplaceAt(deployment.marketplace, admin),
  };
}

/** Snapshots the chain; `restore` reverts to it and takes a fresh snapshot (ids are single-use). */
export async function snapshotter(
  provider: BrowserProvider,
): Promise<{ restore(): Promise<void> }> {
  let id = (await provider.send('evm_snapshot', [])) as string;
  return {
    async restore() {
      await provider.send('evm_revert', [id]);
      id = (await provider.send('evm_snapshot', [])) as string;
    },
  };
}

/** Moves the chain clock forward and mines a block. */
export async function increaseTime(provider: BrowserProvider, seconds: bigint): Promise<void> {
  await provider.send('evm_increaseTime', [Number(seconds)]);
  await provider.send('evm_mine', []);
}

/** Timestamp of the latest block. */
export async function latestTimestamp(provider: BrowserProvider): Promise<bigint> {
  const block = await provider.getBlock('latest');
  if (!block) throw new Error('no latest block');
  return BigInt(block.timestamp);
}

/** Mines an empty block with exactly `timestamp`. */
export async function mineAt(provider: BrowserProvider, timestamp: bigint): Promise<void> {
  await provider.send('evm_setNextBlockTimestamp', [Number(timestamp)]);
  await provider.send('evm_mine', []);
}
