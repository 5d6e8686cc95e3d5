/**
 * Two union instances on one real PostgreSQL database (the same DATABASE_URL, each with its own
 * connection pool) and a real local EVM: whichever instance ticks, and however the ticks
 * interleave, every revenue transfer is credited once and each commit period yields exactly one
 * root. The revenue watcher and the committer take `pg_try_advisory_xact_lock` inside their
 * transaction; the loser of a race skips its tick (PGlite, single-process, always wins).
 */
import type { JsonRpcProvider } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  connectRpc,
  devAccount,
  signerFor,
  startChainServer,
  type ChainServer,
} from '../../contracts/chain.ts';
import { deployCrowdsell, type Deployment } from '../../contracts/deploy.ts';
import { dataUnionAt } from '../../contracts/generated/data-union.ts';
import { marketplaceAt } from '../../contracts/generated/marketplace.ts';
import { testTokenAt } from '../../contracts/generated/test-token.ts';
import { createUnionServer, type UnionServer } from '../app.ts';
import type { CommitResult } from '../jobs/committer.ts';
import { membershipLogRepo } from '../repo/membership-log-repo.ts';
import { randomWallet } from '../test-support/fixtures.ts';
import {
  findPostgresBin,
  INSTALL_HINT,
  startPostgres,
  type PostgresCluster,
} from '../test-support/postgres-cluster.ts';

const PRICE = 1000n;
const FEE = 10n ** 17n;
const hasPostgres = Boolean(process.env.TEST_DATABASE_URL) || findPostgresBin() !== null;
if (!hasPostgres) console.warn(`singleton.postgres.test.ts skipped: ${INSTALL_HINT}`);

let cluster: PostgresCluster;
let chain: ChainServer;
let provider: JsonRpcProvider;
let deployment: Deployment;
let url: string;
const instances: UnionServer[] = [];

function startInstance(): Promise<UnionServer> {
  return createUnionServer({
    chainId: 31337,
    dataUnion: deployment.dataUnion,
    admin: deployment.admin,
    operator: deployment.operator,
    database: { driver: 'postgres', url, poolSize: 4 },
    port: 0,
    logLevel: 'silent',
    recoverThreads: 0,
    productIntervalMs: 0,
    chain: {
      rpcUrl: chain.url,
      operatorKey: devAccount(0).privateKey,
      tokenAddress: deployment.token,
      startBlock: deployment.startBlock,
      pollIntervalMs: 0,
      withdrawalsPerMember: 10,
    },
  });
}

async function purchase(seconds: bigint): Promise<bigint> {
  const researcher = signerFor(devAccount(3).privateKey, provider);
  const amount = PRICE * seconds;
  const token = testTokenAt(deployment.token, researcher);
  await (await token.mint(researcher.address, amount)).wait();
  await (await token.approve(deployment.marketplace, amount)).wait();
  await (
    await marketplaceAt(deployment.marketplace, researcher).buy(deployment.productId, seconds)
  ).wait();
  return amount;
}

async function count(sql: string): Promise<number> {
  const r = await instances[0]!.db.query<{ n: number }>(sql);
  return r.rows[0]!.n;
}

describe.skipIf(!hasPostgres)('singleton jobs on PostgreSQL', () => {
  beforeAll(async () => {
    cluster = await startPostgres();
    url = await cluster.createDatabase('singleton');
    chain = await startChainServer({ port: 0 });
    provider = connectRpc(chain.url);
    deployment = await deployCrowdsell(signerFor(devAccount(0).privateKey, provider), {
      adminFeeFraction: FEE,
      freezePeriodSeconds: 3600n,
      pricePerSecond: PRICE,
    });
    // Both instances start (and migrate) together on the same database.
    instances.push(...(await Promise.all([startInstance(), startInstance()])));
    const member = randomWallet().address.toLowerCase();
    await instances[0]!.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO members (address, status, requested_at, joined_at, status_changed_at, last_report_at)
         VALUES ($1, 'active', now(), now(), now(), now())`,
        [member],
      );
      await membershipLogRepo.append(tx, { at: new Date(), type: 'join', member });
    });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(instances.map((i) => i.close()));
    provider?.destroy();
    await chain?.close();
    await cluster?.stop();
  });

  it('credits each purchase once and commits exactly one root per period, whoever ticks', async () => {
    const union = dataUnionAt(deployment.dataUnion, provider);
    let paid = 0n;
    for (let period = 1; period <= 3; period++) {
      paid += await purchase(BigInt(100 * period));
      // Watcher ticks racing on both instances, then both committers at once.
      await Promise.all(instances.flatMap((i) => [i.monoplasma!.watch(), i.monoplasma!.watch()]));
      const results: CommitResult[] = await Promise.all(
        instances.map((i) => i.monoplasma!.commit()),
      );
      expect(results.filter((r) => r.committed)).toHaveLength(1);
      expect(results.filter((r) => !r.committed).map((r) => (r.committed ? '' : r.reason))).toEqual(
        [expect.stringMatching(/^(locked|unchanged|not-newer)$/)],
      );

      const commits = await union.queryFilter(union.filters.RootCommitted!());
      expect(commits).toHaveLength(period);
      expect(await count('SELECT count(*)::int AS n FROM revenue_transfers')).toBe(period);
      expect(
        await count(
          `SELECT count(*)::int AS n FROM monoplasma_events WHERE event ->> 'type' = 'revenue-received'`,
        ),
      ).toBe(period);
      const committed = results.find((r) => r.committed)!;
      if (!committed.committed) continue;
      const state = await instances[1]!.app.inject({
        method: 'GET',
        url: `/v1/state/${committed.blockNumber}`,
      });
      expect(state.json<{ totalRevenue: string }>().totalRevenue).toBe(paid.toString());
    }
    // Nothing new: neither instance commits again.
    const idle = await Promise.all(instances.map((i) => i.monoplasma!.commit()));
    expect(idle.filter((r) => r.committed)).toHaveLength(0);
    // Each instance's own validator agrees with the shared books.
    for (const instance of instances) {
      const status = await instance.app.inject({ method: 'GET', url: '/v1/validator/status' });
      expect(status.json()).toMatchObject({ lastRun: { ok: true, commitsChecked: 3 } });
    }
  });
});
