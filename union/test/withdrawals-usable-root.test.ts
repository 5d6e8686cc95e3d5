/**
 * Issue 16, item 1: the proof and earnings endpoints find the newest usable root however many
 * newer roots are still frozen (a 1-day freeze with hourly commits leaves 24 frozen roots), and a
 * revoked root never counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { devAccount, signerFor } from '../../contracts/chain.ts';
import { dataUnionAt } from '../../contracts/generated/data-union.ts';
import { createUnionServer, type UnionServer } from '../app.ts';
import type { Db } from '../db/db.ts';
import {
  insertActiveMember,
  startChainFixture,
  type ChainFixture,
} from '../test-support/chain-fixture.ts';
import { randomWallet } from '../test-support/fixtures.ts';
import { freshPglite } from '../test-support/pglite-template.ts';

const DAY = 86_400;
const member = randomWallet();
let fx: ChainFixture;
let db: Db;
let server: UnionServer;
let clockMs = 0;

async function get(path: string) {
  const res = await server.app.inject({ method: 'GET', url: path });
  return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
}

async function passTime(seconds: number) {
  await fx.passTime(seconds);
  clockMs = (await fx.chainTime()) * 1000;
}

/** A purchase and a committed root for it; resolves to the root's block. */
async function commitRevenue(): Promise<number> {
  await fx.purchase(10n);
  const result = await server.monoplasma!.commit();
  if (!result.committed) throw new Error(`no commit: ${result.reason}`);
  return result.blockNumber;
}

beforeAll(async () => {
  fx = await startChainFixture({ freezePeriodSeconds: BigInt(DAY) });
  db = await freshPglite();
  clockMs = (await fx.chainTime()) * 1000;
  await insertActiveMember(db, member.address, { at: clockMs, logged: false });
  const base = fx.unionOptions();
  server = await createUnionServer({
    ...base,
    chain: { ...base.chain!, minWithdrawal: '1', minMembershipAgeSeconds: 0 },
    db,
    now: () => clockMs,
  });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await db?.close();
  await fx?.close();
});

describe('the newest usable root, whatever the number of commits', () => {
  let usableBlock = 0;
  let usableTotal = '';

  it('serves one usable root followed by 25 frozen ones', async () => {
    usableBlock = await commitRevenue();
    await passTime(DAY + 1);
    const first = await get(`/v1/members/${member.address}/proof`);
    expect(first.status).toBe(200);
    usableTotal = String(first.body.totalEarnings);

    for (let i = 0; i < 25; i++) await commitRevenue();

    const proof = await get(`/v1/members/${member.address}/proof`);
    expect(proof.status).toBe(200);
    expect(proof.body).toMatchObject({ blockNumber: usableBlock, totalEarnings: usableTotal });
    const earnings = await get(`/v1/members/${member.address}/earnings`);
    expect(earnings.body).toMatchObject({ withdrawable: usableTotal, withdrawn: '0' });
    expect(BigInt(String(earnings.body.pending))).toBeGreaterThan(0n);
    expect(earnings.body.nextUsableAt).toEqual(expect.any(String));
  });

  it('moves to the newest root once the frozen ones thaw', async () => {
    const latest = Number(
      await dataUnionAt(fx.deployment.dataUnion, fx.provider).latestCommittedBlock(),
    );
    await passTime(DAY + 1);
    const proof = await get(`/v1/members/${member.address}/proof`);
    expect(proof.body.blockNumber).toBe(latest);
    expect((await get(`/v1/members/${member.address}/earnings`)).body.nextUsableAt).toBeNull();
  });

  it('never counts a revoked root, even once its freeze period has passed', async () => {
    const usable = (await get(`/v1/members/${member.address}/proof`)).body;
    const revokedBlock = await commitRevenue();
    const admin = signerFor(devAccount(0).privateKey, fx.provider);
    await (await dataUnionAt(fx.deployment.dataUnion, admin).revoke(revokedBlock)).wait();
    await passTime(DAY + 1);
    const proof = await get(`/v1/members/${member.address}/proof`);
    expect(proof.body).toMatchObject({
      blockNumber: usable.blockNumber,
      totalEarnings: usable.totalEarnings,
    });
    const earnings = await get(`/v1/members/${member.address}/earnings`);
    expect(earnings.body).toMatchObject({ withdrawable: usable.totalEarnings, nextUsableAt: null });
  });

  it('asks the chain again about a root usable by the clock but not yet on chain, and drops it once revoked', async () => {
    const path = `/v1/members/${member.address}/earnings`;
    const before = (await get(path)).body;
    const block = await commitRevenue();
    // The union's clock is past the freeze period, the idle chain is not: the contract may
    // still revoke the root, so its live answer must not be kept.
    clockMs = ((await fx.chainTime()) + DAY + 1) * 1000;
    const early = (await get(path)).body;
    expect(BigInt(String(early.withdrawable))).toBeGreaterThan(BigInt(String(before.withdrawable)));
    const admin = signerFor(devAccount(0).privateKey, fx.provider);
    await (await dataUnionAt(fx.deployment.dataUnion, admin).revoke(block)).wait();
    clockMs += 600_000; // past the read cache
    expect((await get(path)).body).toMatchObject({ withdrawable: before.withdrawable });
  });
});
