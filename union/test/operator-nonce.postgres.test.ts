/**
 * Two union instances on one real PostgreSQL database share the operator key: each sends with its
 * own ChainClient (own RPC connection, own connection pool), wired as app.ts wires it, with the
 * operator-key advisory lock. Both fire many sends at once; every transaction must get its own
 * nonce and be mined — none refused for a taken nonce, none replaced or dropped. Automining is off
 * and nothing is mined until every send has returned, so all of them sit in the pending pool
 * together, as on a busy chain, however slow the machine (a block timer raced the sends on a
 * loaded machine and mined some before the rest were sent).
 */
import { type JsonRpcProvider, type TransactionResponse, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  connectRpc,
  devAccount,
  startChainServer,
  type ChainServer,
} from '../../contracts/chain.ts';
import { ChainClient } from '../chain/chain-client.ts';
import type { Db } from '../db/db.ts';
import { openPostgres } from '../db/postgres-driver.ts';
import { withOperatorKeyLock } from '../repo/monoplasma-repo.ts';
import {
  postgresAvailable,
  startPostgres,
  type PostgresCluster,
} from '../test-support/postgres-cluster.ts';

const SENDS_PER_INSTANCE = 10;
const hasPostgres = postgresAvailable('operator-nonce.postgres.test.ts');

let cluster: PostgresCluster;
let chain: ChainServer;
let provider: JsonRpcProvider;
const dbs: Db[] = [];
const clients: ChainClient[] = [];

/** A cheap, distinct operator transaction: `value` wei to a fresh address. */
function payment(client: ChainClient, value: bigint): Promise<TransactionResponse> {
  const tx = { to: Wallet.createRandom().address, value };
  return client.sendAsOperator({
    estimateGas: () => client.operator.estimateGas(tx),
    send: (overrides) => client.operator.sendTransaction({ ...tx, ...overrides }),
  });
}

describe.skipIf(!hasPostgres)('operator-key sends from instances sharing PostgreSQL', () => {
  beforeAll(async () => {
    cluster = await startPostgres();
    const url = await cluster.createDatabase('operator_nonce');
    chain = await startChainServer({ port: 0 });
    provider = connectRpc(chain.url);
    for (let i = 0; i < 2; i++) {
      const db = await openPostgres({ url, poolSize: 4 });
      dbs.push(db);
      clients.push(
        new ChainClient(
          {
            rpcUrl: chain.url,
            operatorKey: devAccount(0).privateKey,
            // Only the operator wallet is used here; the contracts are never called.
            dataUnion: devAccount(1).address,
            tokenAddress: devAccount(2).address,
            confirmations: 1,
            gasMarginPercent: 20,
          },
          withOperatorKeyLock(db),
        ),
      );
    }
    await provider.send('evm_setAutomine', [false]);
  }, 120_000);

  afterAll(async () => {
    await provider?.send('evm_setAutomine', [true]).catch(() => undefined);
    for (const client of clients) client.destroy();
    await Promise.all(dbs.map((db) => db.close()));
    provider?.destroy();
    await chain?.close();
    await cluster?.stop();
  });

  it('gives every concurrent send its own nonce, contiguous, and mines them all', async () => {
    const operator = devAccount(0).address;
    const first = await provider.getTransactionCount(operator, 'latest');
    const sent = await Promise.all(
      clients.flatMap((client, i) =>
        Array.from({ length: SENDS_PER_INSTANCE }, (_, k) =>
          payment(client, BigInt(1 + i * SENDS_PER_INSTANCE + k)),
        ),
      ),
    );
    const total = clients.length * SENDS_PER_INSTANCE;
    // All of them wait in the pending pool together: none mined yet, every one accepted.
    expect(await provider.getTransactionCount(operator, 'latest')).toBe(first);
    expect(await provider.getTransactionCount(operator, 'pending')).toBe(first + total);

    const nonces = sent.map((tx) => tx.nonce).sort((a, b) => a - b);
    expect(nonces).toEqual(Array.from({ length: total }, (_, k) => first + k));
    await provider.send('evm_mine', []);
    const receipts = await Promise.all(sent.map((tx) => provider.waitForTransaction(tx.hash, 1)));
    expect(receipts.map((r) => r?.status)).toEqual(sent.map(() => 1));
    expect(await provider.getTransactionCount(operator, 'latest')).toBe(first + total);
  }, 60_000);
});
