/**
 * The money loop on a real in-process EVM (Hardhat) and PGlite: purchase → revenue watched →
 * root committed → freeze → signed WithdrawAll relayed → exact payout; restart without double
 * counting; refused withdrawals spend no gas.
 */
import { Wallet, type JsonRpcProvider } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { devAccount, type ChainServer } from '../../contracts/chain.ts';
import type { Deployment } from '../../contracts/deploy.ts';
import { testTokenAt } from '../../contracts/generated/test-token.ts';
import { asTypes, withdrawAllTypes } from '../../extension/protocol/eip712.ts';
import { createUnionServer, type UnionServer } from '../app.ts';
import { validate } from '../chain/validator.ts';
import type { Db } from '../db/db.ts';
import {
  insertActiveMember,
  startChainFixture,
  type ChainFixture,
} from '../test-support/chain-fixture.ts';
import { randomWallet } from '../test-support/fixtures.ts';
import { freshPglite } from '../test-support/pglite-template.ts';
import { tamperSnapshotTotal } from '../test-support/tamper-snapshot.ts';

const FREEZE = 3600n;
let fx: ChainFixture;

let chain: ChainServer;
let provider: JsonRpcProvider;
let deployment: Deployment;
let db: Db;
let server: UnionServer;
const memberA = randomWallet();
const memberB = randomWallet();
const idle = randomWallet(); // active status, never reported: earns nothing

function start(): Promise<UnionServer> {
  return createUnionServer({ ...fx.unionOptions(), db });
}

async function addMember(wallet: Wallet, reported: boolean) {
  await insertActiveMember(db, wallet.address, { at: fx.now(), reported, logged: false });
}

function purchase(seconds: bigint): Promise<bigint> {
  return fx.purchase(seconds);
}

async function get(path: string) {
  const res = await server.app.inject({ method: 'GET', url: path });
  return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
}

async function chainTime(): Promise<number> {
  return (await provider.getBlock('latest'))!.timestamp;
}

async function signWithdrawal(
  signer: Wallet,
  member: string,
  recipient: string,
  withdrawnBefore: bigint,
  deadline: number,
  minAmount = 0n,
) {
  const request = {
    member,
    recipient,
    withdrawnBefore: withdrawnBefore.toString(),
    minAmount: minAmount.toString(),
    deadline: String(deadline),
  };
  const signature = await signer.signTypedData(
    { name: 'Crowdsell', version: '1', chainId: 31337, verifyingContract: deployment.dataUnion },
    asTypes(withdrawAllTypes),
    request,
  );
  return { request, signature };
}

async function post(body: unknown) {
  const res = await server.app.inject({
    method: 'POST',
    url: '/v1/withdrawals',
    payload: body as object,
  });
  return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
}

beforeAll(async () => {
  fx = await startChainFixture({ freezePeriodSeconds: FREEZE });
  ({ chain, provider, deployment } = fx);
  db = await freshPglite();
  await addMember(memberA, true);
  await addMember(memberB, true);
  await addMember(idle, false);
  server = await start();
}, 120_000);

afterAll(async () => {
  await server?.close();
  await db?.close();
  await fx?.close();
});

describe('monoplasma on a local EVM', () => {
  const paid: bigint[] = [];

  it('credits a purchase, commits a root, and serves earnings through the freeze', async () => {
    paid.push(await purchase(1000n)); // 1,000,000 units: 100,000 fee, 450,000 each
    const result = await server.monoplasma!.commit();
    expect(result.committed).toBe(true);
    if (!result.committed) return;

    const state = await get(`/v1/state/${result.blockNumber}`);
    expect(state.status).toBe(200);
    expect(state.body.root).toBe(result.root);
    expect(state.body.adminTotal).toBe('100000');
    expect(state.body.totalRevenue).toBe('1000000');

    const frozen = await get(`/v1/members/${memberA.address}/earnings`);
    expect(frozen.body).toMatchObject({
      total: '450000',
      withdrawn: '0',
      withdrawable: '0',
      pending: '450000',
      token: { address: deployment.token.toLowerCase(), decimals: 18 },
    });
    expect(frozen.body.nextUsableAt).toEqual(expect.any(String));
    expect((await get(`/v1/members/${idle.address}/earnings`)).body.total).toBe('0');
    const noProof = await get(`/v1/members/${memberA.address}/proof`);
    expect(noProof).toMatchObject({ status: 404, body: { error: { code: 'NO_USABLE_ROOT' } } });

    await provider.send('evm_increaseTime', [Number(FREEZE) + 1]);
    await provider.send('evm_mine', []);
    const usable = await get(`/v1/members/${memberA.address}/earnings`);
    expect(usable.body).toMatchObject({ withdrawable: '450000', pending: '0', nextUsableAt: null });
    const proof = await get(`/v1/members/${memberA.address}/proof`);
    expect(proof.body).toMatchObject({ blockNumber: result.blockNumber, totalEarnings: '450000' });
  });

  it('refuses bad withdrawals before spending gas', async () => {
    const operator = devAccount(0).address;
    const nonce = await provider.getTransactionCount(operator);
    const deadline = (await chainTime()) + 3600;
    const recipient = randomWallet().address;

    const forged = await signWithdrawal(memberB, memberA.address, recipient, 0n, deadline);
    expect(await post(forged)).toMatchObject({
      status: 401,
      body: { error: { code: 'INVALID_SIGNATURE' } },
    });
    const stale = await signWithdrawal(memberA, memberA.address, recipient, 5n, deadline);
    expect(await post(stale)).toMatchObject({
      status: 409,
      body: { error: { code: 'WITHDRAWAL_STALE' } },
    });
    const expired = await signWithdrawal(memberA, memberA.address, recipient, 0n, deadline - 7200);
    expect(await post(expired)).toMatchObject({
      status: 422,
      body: { error: { code: 'WITHDRAWAL_EXPIRED' } },
    });
    // Signed for more than the newest usable root pays (450,000): no root can pay it.
    const more = await signWithdrawal(memberA, memberA.address, recipient, 0n, deadline, 450_001n);
    expect(await post(more)).toMatchObject({
      status: 409,
      body: { error: { code: 'WITHDRAWAL_BELOW_SIGNED_MINIMUM' } },
    });
    const stranger = randomWallet();
    const nothing = await signWithdrawal(stranger, stranger.address, recipient, 0n, deadline);
    expect((await post(nothing)).status).toBe(404);
    expect(await provider.getTransactionCount(operator)).toBe(nonce);
  });

  it('relays a signed WithdrawAll to a fresh address and pays exactly the share', async () => {
    const recipient = Wallet.createRandom().address;
    const deadline = (await chainTime()) + 3600;
    // The member signs for the amount the popup showed: everything withdrawable.
    const signed = await signWithdrawal(
      memberA,
      memberA.address,
      recipient,
      0n,
      deadline,
      450_000n,
    );
    const sent = await post(signed);
    expect(sent.status).toBe(202);
    expect(sent.body.status).toBe('pending');
    expect(sent.body.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    const tracked = await get(`/v1/withdrawals/${String(sent.body.id)}`);
    expect(tracked.body).toMatchObject({ status: 'confirmed', amount: '450000' });
    const token = testTokenAt(deployment.token, provider);
    expect(await token.balanceOf(recipient)).toBe(450_000n);

    const after = await get(`/v1/members/${memberA.address}/earnings`);
    expect(after.body).toMatchObject({ total: '450000', withdrawn: '450000', withdrawable: '0' });
    // The same signature again: withdrawnBefore is now stale.
    expect((await post(signed)).status).toBe(409);
  });

  it('resumes after a restart without counting a transfer twice', async () => {
    await server.close();
    // Simulate a crash that lost the cursor: the transfers are seen again.
    await db.query('UPDATE monoplasma_state SET cursor_block = $1', [deployment.startBlock - 1]);
    server = await start();
    paid.push(await purchase(2000n)); // 2,000,000: 200,000 fee, 900,000 each
    const result = await server.monoplasma!.commit();
    expect(result.committed).toBe(true);
    if (!result.committed) return;
    const state = await get(`/v1/state/${result.blockNumber}`);
    expect(state.body.totalRevenue).toBe('3000000');
    expect(state.body.adminTotal).toBe('300000');
    const transfers = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM revenue_transfers',
    );
    expect(transfers.rows[0]!.n).toBe(2);
    const earnings = await get(`/v1/members/${memberB.address}/earnings`);
    expect(earnings.body).toMatchObject({ total: '1350000', withdrawable: '450000' });
    // Nothing changed since: no new commit.
    expect(await server.monoplasma!.commit()).toEqual({ committed: false, reason: 'unchanged' });
    // The contract received exactly what was paid.
    const { dataUnionAt } = await import('../../contracts/generated/data-union.ts');
    expect(await dataUnionAt(deployment.dataUnion, provider).totalRevenue()).toBe(
      paid.reduce((a, b) => a + b, 0n),
    );
  });

  it('validates every committed root from public data, and catches a tampered state', async () => {
    const fetchJson = async (url: string) => {
      const res = await server.app.inject({ method: 'GET', url: new URL(url).pathname });
      if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
      return res.json<unknown>();
    };
    const options = { rpcUrl: chain.url, dataUnion: deployment.dataUnion, fetchJson };
    const good = await validate(options);
    expect(good.ok).toBe(true);
    expect(good.checked).toHaveLength(2);

    const last = good.checked[1]!;
    await tamperSnapshotTotal(db, last, memberB.address, 1n);
    const bad = await validate(options);
    expect(bad.ok).toBe(false);
    expect(bad.problem).toContain(`Root of block ${last}`);
  });

  it('two instances on one database: one credit, one commit', async () => {
    const sibling = await start();
    try {
      const before = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM revenue_transfers',
      );
      await purchase(10n);
      const results = await Promise.all([
        server.monoplasma!.commit(),
        sibling.monoplasma!.commit(),
      ]);
      expect(results.filter((r) => r.committed)).toHaveLength(1);
      const after = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM revenue_transfers',
      );
      expect(after.rows[0]!.n).toBe(before.rows[0]!.n + 1);
      expect((await get(`/v1/members/${memberA.address}/earnings`)).body.total).toBe('1354500');
    } finally {
      await sibling.close();
    }
  });
});
