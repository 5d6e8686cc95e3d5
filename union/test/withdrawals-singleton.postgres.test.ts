/**
 * The withdrawal reconciler on a real PostgreSQL database shared by two union instances: it is
 * elected with its own advisory lock (an instance that cannot take it skips the tick), and two
 * instances settling the same row at once write one outcome.
 */
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { UnionServer } from '../app.ts';
import { RELAY_LOCK } from '../repo/withdrawals-repo.ts';
import { insertActiveMember, type ChainFixture } from '../test-support/chain-fixture.ts';
import { randomWallet } from '../test-support/fixtures.ts';
import { postgresAvailable } from '../test-support/postgres-cluster.ts';
import { startUnionPair, type UnionPair } from '../test-support/union-pair.ts';
import { postWithdrawAll } from '../test-support/withdraw-all.ts';

const hasPostgres = postgresAvailable('withdrawals-singleton.postgres.test.ts');
const FREEZE = 3600;
const member = randomWallet();
let pair: UnionPair;
let fx: ChainFixture;
let instances: UnionServer[] = [];

describe.skipIf(!hasPostgres)('the withdrawal reconciler on PostgreSQL', () => {
  beforeAll(async () => {
    pair = await startUnionPair('reconciler', { freezePeriodSeconds: BigInt(FREEZE) });
    ({ fx, instances } = pair);
    await insertActiveMember(instances[0]!.db, member.address, {
      at: instances[0]!.options.now(),
      logged: false,
    });
    await fx.purchase(1000n);
    expect((await instances[0]!.monoplasma!.commit()).committed).toBe(true);
    await fx.passTime(FREEZE + 1);
  }, 120_000);

  afterAll(async () => {
    await pair?.close();
  });

  it('skips a tick while another instance holds the lock, and settles each row once', async () => {
    const [a, b] = instances as [UnionServer, UnionServer];
    const earnings = await a.app.inject({
      method: 'GET',
      url: `/v1/members/${member.address}/earnings`,
    });
    const { withdrawn, withdrawable } = earnings.json<Record<string, string>>();
    const sent = await postWithdrawAll(fx, a, member, {
      recipient: Wallet.createRandom().address,
      withdrawnBefore: withdrawn!,
      minAmount: withdrawable!,
    });
    expect(sent.statusCode).toBe(202);

    // Another holder of the lock (a third connection, in an open transaction): both skip.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked: () => void = () => undefined;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = a.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [RELAY_LOCK]);
      locked();
      await held;
    });
    await isLocked;
    expect(await Promise.all([a.withdrawals!.tick(), b.withdrawals!.tick()])).toEqual([
      { ran: false, changed: 0 },
      { ran: false, changed: 0 },
    ]);
    release();
    await holder;

    const results = await Promise.all([a.withdrawals!.tick(), b.withdrawals!.tick()]);
    expect(results.reduce((sum, r) => sum + r.changed, 0)).toBe(1);
    const rows = await a.db.query<{ status: string }>('SELECT status FROM withdrawals');
    expect(rows.rows).toEqual([{ status: 'confirmed' }]);
  });
});
