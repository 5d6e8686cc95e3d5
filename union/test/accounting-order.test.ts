/**
 * Issue 16 item 5 on a real EVM (Hardhat over JSON-RPC) and PGlite: a fee change applies only to
 * revenue after it, and joins and leaves made while the watcher was not running share only the
 * revenue after them — even when everything reaches the books in one tick. Every block is mined
 * at a chosen instant and every membership change carries its own time, so nothing here reads
 * the wall clock. The published log then replays into the committed root (`union validate`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { devAccount, signerFor } from '../../contracts/chain.ts';
import { dataUnionAt } from '../../contracts/generated/data-union.ts';
import { testTokenAt } from '../../contracts/generated/test-token.ts';
import { createUnionServer, type UnionServer } from '../app.ts';
import { validate } from '../chain/validator.ts';
import type { Db } from '../db/db.ts';
import { membershipLogRepo } from '../repo/membership-log-repo.ts';
import { startChainFixture, TEST_FEE, type ChainFixture } from '../test-support/chain-fixture.ts';
import { randomWallet } from '../test-support/fixtures.ts';
import { freshPglite } from '../test-support/pglite-template.ts';

let fx: ChainFixture;
let db: Db;
let server: UnionServer;
/** Chain time of the test's first instant, well after the deployment. */
let base = 0;
const a = randomWallet().address.toLowerCase();
const b = randomWallet().address.toLowerCase();
const c = randomWallet().address.toLowerCase();

async function at<T>(offset: number, send: () => Promise<{ wait(): Promise<T> }>): Promise<T> {
  await fx.provider.send('evm_setNextBlockTimestamp', [base + offset]);
  return (await send()).wait();
}

/** Revenue: tokens minted straight into the DataUnion (a `Transfer` into it, like a purchase). */
function revenueAt(offset: number, amount: bigint) {
  const token = testTokenAt(fx.deployment.token, signerFor(devAccount(3).privateKey, fx.provider));
  return at(offset, () => token.mint(fx.deployment.dataUnion, amount));
}

function feeAt(offset: number, fraction: bigint) {
  const union = dataUnionAt(
    fx.deployment.dataUnion,
    signerFor(devAccount(0).privateKey, fx.provider),
  );
  return at(offset, () => union.setAdminFee(fraction));
}

/**
 * A join (with a report that counts at once: `active_from` is the join) or a leave, recorded at
 * `base + offset`.
 */
async function membership(address: string, kind: 'join' | 'leave', offset: number) {
  const time = new Date((base + offset) * 1000);
  await db.transaction(async (tx) => {
    await (kind === 'join'
      ? tx.query(
          `INSERT INTO members
             (address, status, requested_at, joined_at, status_changed_at, last_report_at, active_from)
           VALUES ($1, 'active', $2, $2, $2, $2, $2)
           ON CONFLICT (address) DO UPDATE SET status = 'active', joined_at = $2,
             status_changed_at = $2, last_report_at = $2, active_from = $2`,
          [address, time],
        )
      : tx.query(`UPDATE members SET status = 'left', status_changed_at = $2 WHERE address = $1`, [
          address,
          time,
        ]));
    await membershipLogRepo.append(tx, { at: time, type: kind, member: address });
  });
}

async function totals() {
  const state = await server.app.inject({ method: 'GET', url: '/v1/accounting/events?limit=1000' });
  const events = state.json<{ events: { kind: string }[] }>().events;
  const get = async (address: string) =>
    (await server.app.inject({ method: 'GET', url: `/v1/members/${address}/earnings` })).json<{
      total: string;
    }>().total;
  return { events, a: await get(a), b: await get(b), c: await get(c) };
}

beforeAll(async () => {
  fx = await startChainFixture();
  db = await freshPglite();
  base = (await fx.provider.getBlock('latest'))!.timestamp + 1000;
  server = await createUnionServer({ ...fx.unionOptions(), db });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await db?.close();
  await fx?.close();
});

describe('the books in chain order on a real chain', () => {
  it('applies a fee change only to the revenue after it, even when both arrive in one tick', async () => {
    await membership(a, 'join', 0);
    await revenueAt(10, 1000n); // fee 10 %: 100 to the admin, 900 to A
    await feeAt(20, 5n * 10n ** 17n); // 50 % from here on
    await revenueAt(30, 1000n); // 500 to the admin, 500 to A
    await server.monoplasma!.watch();

    expect(TEST_FEE).toBe(10n ** 17n);
    const state = await server.app.inject({
      method: 'GET',
      url: '/v1/accounting/events?limit=1000',
    });
    const events = state.json<{ events: { kind: string; fraction?: string }[] }>().events;
    expect(events.map((e) => e.kind)).toEqual([
      'admin-fee-set',
      'member-joined',
      'member-activity-changed',
      'revenue-received',
      'admin-fee-set',
      'revenue-received',
    ]);
    expect(events[4]).toMatchObject({ fraction: '500000000000000000', logIndex: 0 });
    expect((await totals()).a).toBe('1400');
  });

  it('shares revenue only with the members of its block when joins and leaves pile up in an outage', async () => {
    await revenueAt(40, 1000n); // A alone: 500
    await membership(b, 'join', 50);
    await membership(a, 'leave', 60);
    await revenueAt(70, 1000n); // B alone: 500
    await server.monoplasma!.watch(); // the first tick since block 30

    expect(await totals()).toMatchObject({ a: '1900', b: '500' });
  });

  it('waits for a confirmed block stamped after a change before applying it', async () => {
    await membership(a, 'join', 80); // no block stamped after it yet: not in the books
    await server.monoplasma!.watch();
    const events = (await totals()).events;
    expect(events.at(-1)).toMatchObject({ kind: 'revenue-received' });
    await revenueAt(90, 1000n); // A (re-joined, active) and B: 250 each
    await server.monoplasma!.watch();
    expect(await totals()).toMatchObject({ a: '2150', b: '750' });
  });

  it('publishes a log that replays into the committed root', async () => {
    const result = await server.monoplasma!.commit();
    expect(result.committed).toBe(true);
    const report = await validate({
      rpcUrl: fx.chain.url,
      dataUnion: fx.deployment.dataUnion,
      replay: true,
      fetchJson: async (url: string) => {
        const { pathname, search } = new URL(url);
        const res = await server.app.inject({ method: 'GET', url: pathname + search });
        if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
        return res.json<unknown>();
      },
    });
    expect(report).toMatchObject({ ok: true });
  });

  it('starts books from before migration 0006 at the log head, the members table filling in', async () => {
    await db.query('UPDATE monoplasma_state SET membership_seq = NULL');
    await membership(c, 'join', 100); // in the log before its head is taken: the row brings C in
    await revenueAt(110, 3000n); // fee 50 %: 1500 to the admin, 500 each to A, B and C
    await server.monoplasma!.watch();
    expect(await totals()).toMatchObject({ a: '2650', b: '1250', c: '500' });
    const position = await db.query<{ s: number }>(
      'SELECT membership_seq AS s FROM monoplasma_state',
    );
    const head = await membershipLogRepo.head(db);
    expect(position.rows[0]!.s).toBe(head.seq);
  });
});
