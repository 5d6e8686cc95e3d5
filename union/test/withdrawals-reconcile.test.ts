/**
 * Issue 16, item 2: a relayed withdrawal never blocks its member for ever. The relay's row is
 * settled from the chain — by the reconciler job, and before a new request is refused — so a
 * transaction dropped from the mempool (Hardhat: automine off + hardhat_dropTransaction) stops
 * blocking once it counts as dropped, one the member's own withdrawal superseded stops at once,
 * and a mined one is marked done without anyone polling it. Nothing is ever paid twice.
 */
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { signerFor } from '../../contracts/chain.ts';
import { dataUnionAt } from '../../contracts/generated/data-union.ts';
import { testTokenAt } from '../../contracts/generated/test-token.ts';
import { createUnionServer, type UnionServer } from '../app.ts';
import type { Db } from '../db/db.ts';
import {
  insertActiveMember,
  startChainFixture,
  type ChainFixture,
} from '../test-support/chain-fixture.ts';
import { randomWallet } from '../test-support/fixtures.ts';
import { freshPglite } from '../test-support/pglite-template.ts';
import { postWithdrawAll } from '../test-support/withdraw-all.ts';

const FREEZE = 3600;
const DROPPED_AFTER = 300;
const members = [randomWallet(), randomWallet(), randomWallet()] as const;
const [dropped, mined, selfServed] = members;
let fx: ChainFixture;
let db: Db;
let server: UnionServer;
let clockMs = 0;

async function rpc(method: string, params: unknown[] = []): Promise<unknown> {
  return fx.provider.send(method, params);
}

async function earnings(member: Wallet) {
  const res = await server.app.inject({
    method: 'GET',
    url: `/v1/members/${member.address}/earnings`,
  });
  return res.json<{ withdrawn: string; withdrawable: string }>();
}

/** Signs a WithdrawAll of everything withdrawable and posts it to the relay. */
async function relay(member: Wallet, recipient: string) {
  const { withdrawn, withdrawable } = await earnings(member);
  const res = await postWithdrawAll(fx, server, member, {
    recipient,
    withdrawnBefore: withdrawn,
    minAmount: withdrawable,
  });
  return { status: res.statusCode, body: res.json<Record<string, string>>() };
}

async function tracked(id: string) {
  const res = await server.app.inject({ method: 'GET', url: `/v1/withdrawals/${id}` });
  return res.json<Record<string, string | null>>();
}

async function storedStatus(id: string): Promise<string | undefined> {
  const r = await db.query<{ status: string }>('SELECT status FROM withdrawals WHERE id = $1', [
    id,
  ]);
  return r.rows[0]?.status;
}

async function balanceOf(address: string): Promise<bigint> {
  return testTokenAt(fx.deployment.token, fx.provider).balanceOf(address);
}

beforeAll(async () => {
  fx = await startChainFixture({ freezePeriodSeconds: BigInt(FREEZE) });
  db = await freshPglite();
  clockMs = (await fx.chainTime()) * 1000;
  for (const m of members) await insertActiveMember(db, m.address, { at: clockMs, logged: false });
  const base = fx.unionOptions();
  server = await createUnionServer({
    ...base,
    chain: { ...base.chain!, withdrawalDroppedAfterSeconds: DROPPED_AFTER },
    db,
    now: () => clockMs,
  });
  await fx.purchase(1000n);
  const commit = await server.monoplasma!.commit();
  expect(commit.committed).toBe(true);
  await fx.passTime(FREEZE + 1);
  clockMs = (await fx.chainTime()) * 1000;
}, 120_000);

afterAll(async () => {
  await rpc('evm_setAutomine', [true]).catch(() => undefined);
  await server?.close();
  await db?.close();
  await fx?.close();
});

describe('relayed withdrawals settle from the chain', () => {
  it('a transaction dropped from the mempool no longer blocks the member', async () => {
    const share = BigInt((await earnings(dropped)).withdrawable);
    expect(share).toBeGreaterThan(0n);
    const lost = Wallet.createRandom().address;
    await rpc('evm_setAutomine', [false]);
    const first = await relay(dropped, lost);
    expect(first.status).toBe(202);
    // In the mempool: a second request is refused rather than paid for twice.
    expect((await relay(dropped, lost)).body).toMatchObject({
      error: { code: 'WITHDRAWAL_IN_PROGRESS' },
    });

    expect(await rpc('hardhat_dropTransaction', [first.body.txHash])).toBe(true);
    // Unknown to the node, but a node can forget a transaction briefly: not yet given up on.
    expect((await relay(dropped, lost)).body).toMatchObject({
      error: { code: 'WITHDRAWAL_IN_PROGRESS' },
    });

    clockMs += DROPPED_AFTER * 1000;
    await rpc('evm_setAutomine', [true]);
    const recipient = Wallet.createRandom().address;
    const again = await relay(dropped, recipient);
    expect(again.status).toBe(202);
    expect(await tracked(first.body.id!)).toMatchObject({ status: 'failed', reason: 'dropped' });
    expect(await tracked(again.body.id!)).toMatchObject({ status: 'confirmed' });
    expect(await balanceOf(recipient)).toBe(share);
    expect(await balanceOf(lost)).toBe(0n);
    expect((await earnings(dropped)).withdrawn).toBe(share.toString());
  });

  it('the job marks a mined withdrawal done from the chain, without anyone polling it', async () => {
    const sent = await relay(mined, Wallet.createRandom().address);
    expect(sent.status).toBe(202);
    expect(await storedStatus(sent.body.id!)).toBe('pending');
    await server.withdrawals?.tick();
    expect(await storedStatus(sent.body.id!)).toBe('confirmed');
  });

  it('a withdrawal the member made another way ends the relayed one at once', async () => {
    const share = BigInt((await earnings(selfServed)).withdrawable);
    await rpc('evm_setAutomine', [false]);
    const sent = await relay(selfServed, Wallet.createRandom().address);
    expect(sent.status).toBe(202);
    await rpc('hardhat_dropTransaction', [sent.body.txHash]);
    await rpc('evm_setAutomine', [true]);

    // The member withdraws with their own key and gas, to their own address, right away.
    await rpc('hardhat_setBalance', [selfServed.address, '0xde0b6b3a7640000']);
    const proof = await server.app.inject({
      method: 'GET',
      url: `/v1/members/${selfServed.address}/proof`,
    });
    const {
      blockNumber,
      totalEarnings,
      proof: path,
    } = proof.json<{
      blockNumber: number;
      totalEarnings: string;
      proof: string[];
    }>();
    const own = dataUnionAt(fx.deployment.dataUnion, signerFor(selfServed.privateKey, fx.provider));
    await (await own.withdrawAll(blockNumber, selfServed.address, totalEarnings, path)).wait();
    expect(await balanceOf(selfServed.address)).toBe(share);

    await server.withdrawals?.tick(); // the drop grace has not passed: only the chain tells
    expect(await tracked(sent.body.id!)).toMatchObject({ status: 'failed', reason: 'superseded' });
  });
});
