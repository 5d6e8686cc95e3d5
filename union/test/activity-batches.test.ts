/**
 * Issue 15: membership activity reaches the public accounting log in daily batches, never at a
 * report's arrival time. A member who reports at 10:20 UTC is marked active at the next 00:00 UTC,
 * and only once a confirmed block is stamped after it; the log (which `union validate` replays)
 * holds the day, not the report's time. Real EVM (Hardhat over JSON-RPC), PGlite, a test clock;
 * blocks are mined at chosen instants, so nothing reads the wall clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { devAccount, signerFor } from '../../contracts/chain.ts';
import { createUnionServer, type UnionServer } from '../app.ts';
import type { Db } from '../db/db.ts';
import {
  insertActiveMember,
  startChainFixture,
  type ChainFixture,
} from '../test-support/chain-fixture.ts';
import {
  randomWallet,
  signConfig,
  signReport,
  testConfig,
  testReport,
} from '../test-support/fixtures.ts';
import { freshPglite } from '../test-support/pglite-template.ts';
import { testClock, type TestClock } from '../test-support/test-clock.ts';

const DAY = 86_400;

let fx: ChainFixture;
let db: Db;
let server: UnionServer;
let clock: TestClock;
let day: number;

/** Mines an empty block stamped `seconds` (the watcher's horizon) and runs one watcher tick. */
async function watchAt(seconds: number) {
  clock.set(seconds * 1000);
  await fx.provider.send('evm_setNextBlockTimestamp', [seconds]);
  await fx.provider.send('evm_mine', []);
  await server.monoplasma!.watch();
}

async function events(): Promise<{ kind: string; address?: string; at: number }[]> {
  const res = await server.app.inject({ method: 'GET', url: '/v1/accounting/events?limit=1000' });
  return res.json<{ events: { kind: string; address?: string; at: number }[] }>().events;
}

beforeAll(async () => {
  fx = await startChainFixture();
  db = await freshPglite();
  const latest = (await fx.provider.getBlock('latest'))!.timestamp;
  // 10:20 UTC on the day after the chain's latest block.
  day = (Math.floor(latest / DAY) + 1) * DAY;
  clock = testClock((day + 10 * 3600 + 20 * 60) * 1000);
  const admin = signerFor(devAccount(0).privateKey, fx.provider);
  expect(admin.address).toBe(fx.deployment.admin);
  const options = fx.unionOptions();
  const domain = {
    name: 'Crowdsell',
    version: '1',
    chainId: 31337,
    verifyingContract: fx.deployment.dataUnion,
  } as const;
  server = await createUnionServer({
    ...options,
    db,
    now: clock.now,
    developmentPrivacyLimits: true, // hourly test epochs
    initialConfig: await signConfig(admin, domain, testConfig(1)),
  });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await db?.close();
  await fx?.close();
});

describe('membership activity in daily batches', () => {
  const member = randomWallet();

  it('does not mark a member active when its report arrives, only at the end of that UTC day', async () => {
    await insertActiveMember(db, member.address, { at: clock.now(), reported: false });
    const report = testReport(member, clock.nowSeconds(), 1);
    const res = await server.app.inject({
      method: 'POST',
      url: '/v1/reports',
      payload: await signReport(member, server.domain, report),
    });
    expect(res.statusCode).toBe(201);

    // A block a minute after the report: the books see the join, not the report.
    await watchAt(clock.nowSeconds() + 60);
    const address = member.address.toLowerCase();
    const mine = async () => (await events()).filter((e) => e.address === address);
    expect((await mine()).map((e) => e.kind)).toEqual(['member-joined']);
    // Later that day, still nothing.
    await watchAt(day + DAY - 1);
    expect((await mine()).map((e) => e.kind)).toEqual(['member-joined']);

    // The first block of the next day releases the batch, stamped with the day's end.
    await watchAt(day + DAY + 30);
    const activity = (await mine()).filter((e) => e.kind === 'member-activity-changed');
    expect(activity).toMatchObject([{ active: true, at: day + DAY }]);
  });

  it('publishes no activity time finer than a day, whatever time the reports arrive', async () => {
    const others = [randomWallet(), randomWallet()];
    for (const [i, other] of others.entries()) {
      await insertActiveMember(db, other.address, { at: clock.now(), reported: false });
      clock.set((day + DAY + 3600 * (3 + 7 * i) + 17) * 1000);
      const res = await server.app.inject({
        method: 'POST',
        url: '/v1/reports',
        payload: await signReport(other, server.domain, testReport(other, clock.nowSeconds(), 1)),
      });
      expect(res.statusCode).toBe(201);
    }
    await watchAt(day + 2 * DAY + 5);
    const activity = (await events()).filter((e) => e.kind === 'member-activity-changed');
    expect(activity.length).toBeGreaterThanOrEqual(3);
    for (const e of activity) expect(e.at % DAY).toBe(0);
  });
});
