/**
 * A local EVM served over JSON-RPC (the union's chain client connects by URL) with the contracts
 * deployed, for union tests that run the revenue watcher and committer: a researcher purchase,
 * the union options that point at the chain, and active members inserted straight into the
 * database.
 *
 *   const fx = await startChainFixture();
 *   const server = await createUnionServer({ ...fx.unionOptions(), db });
 *   await fx.purchase(1000n);                      // PRICE × seconds tokens into the DataUnion
 *   …
 *   await fx.close();
 */
import type { JsonRpcProvider } from 'ethers';

import {
  connectRpc,
  devAccount,
  signerFor,
  startChainServer,
  type ChainServer,
} from '../../contracts/chain.ts';
import { deployCrowdsell, type Deployment } from '../../contracts/deploy.ts';
import { marketplaceAt } from '../../contracts/generated/marketplace.ts';
import { testTokenAt } from '../../contracts/generated/test-token.ts';
import type { UnionOptionsInput } from '../config/options.ts';
import type { Db } from '../db/db.ts';
import { membershipLogRepo } from '../repo/membership-log-repo.ts';

/** Admin fee 10 % (1e18 = 100 %). */
export const TEST_FEE = 10n ** 17n;
/** Token units per second of subscription. */
export const TEST_PRICE = 1000n;

export interface ChainFixture {
  chain: ChainServer;
  provider: JsonRpcProvider;
  deployment: Deployment;
  /** Dev account 3 mints, approves and buys `seconds`; resolves to the amount paid. */
  purchase(seconds: bigint): Promise<bigint>;
  /**
   * The clock `unionOptions()` gives the union (ms; the wall clock, as the chain's blocks are
   * stamped from it). A test that passes its own `now` to the union uses that one instead.
   */
  now(): number;
  /** Union options for this chain (timers off, dev account 0 as operator); add `db` or `database`. */
  unionOptions(): Omit<UnionOptionsInput, 'db' | 'database'>;
  /** The latest block's timestamp (Unix seconds). */
  chainTime(): Promise<number>;
  /** Moves the chain's time on by `seconds` and mines a block stamped then. */
  passTime(seconds: number): Promise<void>;
  close(): Promise<void>;
}

export async function startChainFixture(
  options: { freezePeriodSeconds?: bigint } = {},
): Promise<ChainFixture> {
  const chain = await startChainServer({ port: 0 });
  const provider = connectRpc(chain.url);
  const deployment = await deployCrowdsell(signerFor(devAccount(0).privateKey, provider), {
    adminFeeFraction: TEST_FEE,
    freezePeriodSeconds: options.freezePeriodSeconds ?? 3600n,
    pricePerSecond: TEST_PRICE,
  });
  const now = () => Date.now();
  return {
    chain,
    provider,
    deployment,
    async purchase(seconds) {
      const researcher = signerFor(devAccount(3).privateKey, provider);
      const amount = TEST_PRICE * seconds;
      const token = testTokenAt(deployment.token, researcher);
      await (await token.mint(researcher.address, amount)).wait();
      await (await token.approve(deployment.marketplace, amount)).wait();
      await (
        await marketplaceAt(deployment.marketplace, researcher).buy(
          deployment.productId,
          seconds,
          amount,
        )
      ).wait();
      return amount;
    },
    now,
    unionOptions() {
      return {
        now,
        chainId: 31337,
        dataUnion: deployment.dataUnion,
        admin: deployment.admin,
        operator: deployment.operator,
        port: 0,
        logLevel: 'silent',
        recoverThreads: 0,
        productIntervalMs: 0,
        // Chain tests jump the chain's time (evm_increaseTime) past the union's clock, so an
        // answer cached on that clock would be stale at once; and they read earnings often.
        readCache: { memberSeconds: 0, productSeconds: 0 },
        rateLimits: { publicReadsPerIp: 0 },
        chain: {
          rpcUrl: chain.url,
          operatorKey: devAccount(0).privateKey,
          tokenAddress: deployment.token,
          startBlock: deployment.startBlock,
          pollIntervalMs: 0,
          withdrawalsPerMember: 10,
          // Tests pay out a few base units from members who joined a moment ago.
          minWithdrawal: '1',
          minMembershipAgeSeconds: 0,
        },
      };
    },
    async chainTime() {
      return (await provider.getBlock('latest'))!.timestamp;
    },
    async passTime(seconds) {
      await provider.send('evm_increaseTime', [seconds]);
      await provider.send('evm_mine', []);
    },
    async close() {
      provider.destroy();
      await chain.close();
    },
  };
}

/**
 * An active member, inserted directly, active from `at` — the union's clock (ms): the test's
 * `now`, or `ChainFixture.now()` for a union on the fixture's own clock, never the database's.
 * `reported: false` leaves `last_report_at` and `active_from` empty (active but never reported:
 * earns nothing). `logged: false` skips the membership-log entry.
 */
export async function insertActiveMember(
  db: Db,
  address: string,
  { at, reported = true, logged = true }: { at: number; reported?: boolean; logged?: boolean },
): Promise<void> {
  const time = new Date(at);
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO members (address, status, requested_at, joined_at, status_changed_at, last_report_at, active_from)
       VALUES ($1, 'active', $2, $2, $2, $3, $3)`,
      [address.toLowerCase(), time, reported ? time : null],
    );
    if (logged) {
      await membershipLogRepo.append(tx, {
        at: time,
        type: 'join',
        member: address.toLowerCase(),
      });
    }
  });
}
