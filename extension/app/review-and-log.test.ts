import 'fake-indexeddb/auto';

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { startFakeUnion, type FakeUnion } from '../testing/fake-union.ts';
import {
  categoryId,
  clock,
  makeConfig,
  signConfig,
  testDeps,
  testSettings,
  type Clock,
} from '../testing/fixtures.ts';
import { createCrowdsell, type Crowdsell } from './crowdsell.ts';
import { closeCurrentEpochNow, sendWaitingNow, setNoise } from './test-abilities.ts';

let union: FakeUnion;
let time: Clock;
let deps: ReturnType<typeof testDeps>;
let app: Crowdsell;

beforeEach(async () => {
  union = await startFakeUnion();
  union.config = await signConfig(makeConfig());
  time = clock(Date.UTC(2026, 10, 25, 10));
  deps = testDeps({ settings: { ...testSettings, unionUrl: union.url }, now: time.now, fetch });
  app = createCrowdsell(deps);
  await setNoise(app, false);
  await app.handlers.giveConsent({});
  await app.handlers.setCategory({ id: categoryId('shopping'), enabled: true });
});
afterEach(async () => {
  (await app.ready()).db.close();
  await union.close();
});

async function loggedRequests() {
  const { entries } = await app.handlers.requestLog({});
  return entries.reverse();
}

describe('every request to the union is logged', () => {
  it('lists each request the union received: method, path, exact body and the answer', async () => {
    await app.handlers.join({});
    await app.handlers.refreshJoin({});
    await app.onPageLoaded({ url: 'https://crowdsell-shop.com/', incognito: false });
    await closeCurrentEpochNow(app);
    union.earnings = {
      total: '5',
      withdrawn: '0',
      withdrawable: '5',
      pending: '0',
      nextUsableAt: null,
      token: { address: `0x${'11'.repeat(20)}`, symbol: 'DATA', decimals: 18 },
    };
    await app.handlers.earnings({});
    union.withdrawalLookups.set('w-1', { status: 200, body: { id: 'w-1', status: 'mined' } });
    await app.handlers.withdrawalStatus({ id: 'w-1' });
    await app.handlers.leave({});

    const logged = await loggedRequests();
    expect(logged.map(({ method, path, body }) => ({ method, path, body: body ?? '' }))).toEqual(
      union.requests,
    );
    const member = (await app.handlers.keyAddress({})).address;
    // (The config may be asked twice: once at start, once at consent.)
    expect(new Set(logged.map((e) => `${e.method} ${e.path} ${e.status}`))).toEqual(
      new Set([
        'GET /v1/config 200',
        'POST /v1/join 200',
        `GET /v1/members/${member} 200`,
        'POST /v1/reports 201',
        `GET /v1/members/${member}/earnings 200`,
        'GET /v1/withdrawals/w-1 200',
        'POST /v1/leave 200',
      ]),
    );
    expect(logged.every((e) => e.at === time.now() && e.answeredAt === time.now())).toBe(true);
  });

  it('logs a request that got no answer, with why', async () => {
    await union.close();
    await app.handlers.join({});
    const [join] = (await app.handlers.requestLog({})).entries;
    expect(join).toMatchObject({ method: 'POST', path: '/v1/join', status: null });
    expect(join?.error).toBeTruthy();
    expect(JSON.parse(join?.body ?? '{}')).toHaveProperty('signature');
  });

  it('has one door: nothing in extension/ but union-api.ts uses the raw ctx.deps.fetch', () => {
    const root = path.resolve(import.meta.dirname, '..');
    const sources = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter(
      (file) => /\.tsx?$/.test(file) && !file.endsWith('.test.ts') && !file.startsWith('testing'),
    );
    const callers = sources.filter((file) =>
      /ctx\.deps\.fetch\b/.test(readFileSync(path.join(root, file), 'utf8')),
    );
    expect(callers).toEqual([path.join('app', 'union-api.ts')]);
  });
});

describe('reviewing a report before it is sent', () => {
  it('withholds a waiting report: deleted, never sent, logged as withheld', async () => {
    await app.handlers.join({});
    await app.onPageLoaded({ url: 'https://crowdsell-shop.com/', incognito: false });
    const { reported } = await closeCurrentEpochNow(app, { send: false });
    const [waiting] = (await app.handlers.outboxStatus({})).pending;
    expect(waiting?.epochStart).toBe(reported[0]);
    expect(waiting?.nextAttemptAt).toBeGreaterThanOrEqual(time.now());

    await app.handlers.withholdReport({ epochStart: reported[0] ?? -1 });
    expect((await app.handlers.outboxStatus({})).pending).toEqual([]);
    time.advance(7 * 3_600_000);
    await app.onAlarm('outbox-flush');
    await sendWaitingNow(app);
    expect(union.reports).toEqual([]);
    const [entry] = (await app.handlers.sentLog({})).entries;
    expect(entry).toMatchObject({ epochStart: reported[0], outcome: 'withheld', body: '' });
    await expect(app.handlers.withholdReport({ epochStart: reported[0] ?? -1 })).rejects.toThrow(
      'no longer waiting',
    );
  });

  it('cannot withhold a report once its first attempt was made', async () => {
    await app.handlers.join({});
    union.reportAnswers.push({ status: 503 });
    const { reported } = await closeCurrentEpochNow(app);
    expect(union.reports).toHaveLength(1);
    await expect(app.handlers.withholdReport({ epochStart: reported[0] ?? -1 })).rejects.toThrow(
      'already sent once',
    );
    expect((await app.handlers.outboxStatus({})).pending).toHaveLength(1);
  });
});
