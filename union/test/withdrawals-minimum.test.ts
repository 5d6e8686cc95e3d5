/**
 * Issue 16, item 4: under default settings the relay does not pay gas for dust, and new members
 * wait before they earn. The minimum is published with the earnings and the proof, so the
 * extension can say where withdrawals start.
 */
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { devAccount } from '../../contracts/chain.ts';
import { createUnionServer, type UnionServer } from '../app.ts';
import { resolveOptions } from '../config/options.ts';
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
const member = randomWallet();
let fx: ChainFixture;
let db: Db;
let clockMs = 0;
const servers: UnionServer[] = [];

/** A union on the shared chain and database: the fixture's options without its minimum, plus `chain`. */
async function unionWith(chain: Record<string, unknown>): Promise<UnionServer> {
  const base = fx.unionOptions();
  const { minWithdrawal: _m, ...defaults } = base.chain!;
  const server = await createUnionServer({
    ...base,
    chain: { ...defaults, ...chain },
    db,
    now: () => clockMs,
  });
  servers.push(server);
  return server;
}

async function get(server: UnionServer, path: string) {
  const res = await server.app.inject({ method: 'GET', url: path });
  return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
}

beforeAll(async () => {
  fx = await startChainFixture({ freezePeriodSeconds: BigInt(FREEZE) });
  db = await freshPglite();
  clockMs = (await fx.chainTime()) * 1000;
  await insertActiveMember(db, member.address, { at: clockMs, logged: false });
  const first = await unionWith({ minMembershipAgeSeconds: 0 });
  await fx.purchase(1000n); // 1,000,000 base units: far less than one token (18 decimals)
  expect((await first.monoplasma!.commit()).committed).toBe(true);
  await fx.passTime(FREEZE + 1);
  clockMs = (await fx.chainTime()) * 1000;
}, 120_000);

afterAll(async () => {
  for (const s of servers) await s.close();
  await db?.close();
  await fx?.close();
});

describe('the minimum withdrawal', () => {
  it('defaults to one whole token: a dust payout is refused before any gas is spent', async () => {
    const server = servers[0]!;
    const earnings = await get(server, `/v1/members/${member.address}/earnings`);
    expect(earnings.body).toMatchObject({
      withdrawable: '900000',
      minWithdrawal: String(10n ** 18n),
    });
    const proof = await get(server, `/v1/members/${member.address}/proof`);
    expect(proof.body).toMatchObject({
      totalEarnings: '900000',
      minWithdrawal: String(10n ** 18n),
    });

    const operator = devAccount(0).address;
    const nonce = await fx.provider.getTransactionCount(operator);
    const res = await postWithdrawAll(fx, server, member, {
      recipient: Wallet.createRandom().address,
      withdrawnBefore: '0',
      minAmount: '900000',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ error: { code: 'WITHDRAWAL_TOO_SMALL' } });
    expect(await fx.provider.getTransactionCount(operator)).toBe(nonce);
  });

  it('covers the relay’s gas at the stated gas price and token value', async () => {
    // 110,000 gas × 2 wei × 5 token units per 10^18 wei = 1.1e-12 units: rounds up to one.
    const tiny = await unionWith({ relayGasPriceWei: '2', tokenUnitsPerNativeCoin: '5' });
    expect((await get(tiny, `/v1/members/${member.address}/earnings`)).body.minWithdrawal).toBe(
      '1',
    );
    // 110,000 gas × 10 gwei, the token worth 1/1000 of the chain's coin: 1.1e12 units.
    const real = await unionWith({
      relayGasPriceWei: '10000000000',
      tokenUnitsPerNativeCoin: String(10n ** 15n),
    });
    expect((await get(real, `/v1/members/${member.address}/earnings`)).body.minWithdrawal).toBe(
      '1100000000000',
    );
  });

  it('refuses a gas price without its value in tokens, and waits seven days before members earn', () => {
    const chain = fx.unionOptions().chain!;
    expect(() =>
      resolveOptions({ ...fx.unionOptions(), chain: { ...chain, relayGasPriceWei: '1' } }),
    ).toThrow(/tokenUnitsPerNativeCoin/);
    const { minMembershipAgeSeconds: _a, ...defaults } = chain;
    expect(resolveOptions({ ...fx.unionOptions(), chain: defaults }).chain).toMatchObject({
      minMembershipAgeSeconds: 7 * 86_400,
    });
  });
});
