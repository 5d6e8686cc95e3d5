import 'fake-indexeddb/auto';

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { startAppHarness, type AppHarness } from '../testing/app-harness.ts';
import { categoryId } from '../testing/fixtures.ts';
import { closeCurrentEpochNow, sendWaitingNow, setNoise } from './test-abilities.ts';

let h: AppHarness;

beforeEach(async () => {
  h = await startAppHarness(Date.UTC(2026, 10, 25, 10));
  await setNoise(h.app, false);
  await h.app.handlers.giveConsent({});
  await h.app.handlers.setCategory({ id: categoryId('shopping'), enabled: true });
});
afterEach(() => h.close());

async function loggedRequests() {
  const { entries } = await h.app.handlers.requestLog({});
  return entries.reverse();
}

describe('every request to the union is logged', () => {
  it('lists each request the union received: method, path, exact body and the answer', async () => {
    await h.app.handlers.join({});
    await h.app.handlers.refreshJoin({});
    await h.app.onPageLoaded({ url: 'https://crowdsell-shop.com/', incognito: false });
    await closeCurrentEpochNow(h.app);
    h.union.earnings = {
      total: '5',
      withdrawn: '0',
      withdrawable: '5',
      pending: '0',
      nextUsableAt: null,
      token: { address: `0x${'11'.repeat(20)}`, symbol: 'DATA', decimals: 18 },
    };
    await h.app.handlers.earnings({});
    h.union.withdrawalLookups.set('w-1', { status: 200, body: { id: 'w-1', status: 'mined' } });
    await h.app.handlers.withdrawalStatus({ id: 'w-1' });
    await h.app.handlers.leave({});

    const logged = await loggedRequests();
    expect(logged.map(({ method, path, body }) => ({ method, path, body: body ?? '' }))).toEqual(
      h.union.requests,
    );
    const member = (await h.app.handlers.keyAddress({})).address;
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
    expect(logged.every((e) => e.at === h.time.now() && e.answeredAt === h.time.now())).toBe(true);
  });

  it('logs a request that got no answer, with why', async () => {
    await h.union.close();
    await h.app.handlers.join({});
    const [join] = (await h.app.handlers.requestLog({})).entries;
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
    await h.app.handlers.join({});
    await h.app.onPageLoaded({ url: 'https://crowdsell-shop.com/', incognito: false });
    const { reported } = await closeCurrentEpochNow(h.app, { send: false });
    const [waiting] = (await h.app.handlers.outboxStatus({})).pending;
    expect(waiting?.epochStart).toBe(reported[0]);
    expect(waiting?.nextAttemptAt).toBeGreaterThanOrEqual(h.time.now());

    await h.app.handlers.withholdReport({ epochStart: reported[0] ?? -1 });
    expect((await h.app.handlers.outboxStatus({})).pending).toEqual([]);
    h.time.advance(7 * 3_600_000);
    await h.app.onAlarm('outbox-flush');
    await sendWaitingNow(h.app);
    expect(h.union.reports).toEqual([]);
    const [entry] = (await h.app.handlers.sentLog({})).entries;
    expect(entry).toMatchObject({ epochStart: reported[0], outcome: 'withheld', body: '' });
    await expect(h.app.handlers.withholdReport({ epochStart: reported[0] ?? -1 })).rejects.toThrow(
      'no longer waiting',
    );
  });

  it('cannot withhold a report once its first attempt was made', async () => {
    await h.app.handlers.join({});
    h.union.reportAnswers.push({ status: 503 });
    const { reported } = await closeCurrentEpochNow(h.app);
    expect(h.union.reports).toHaveLength(1);
    await expect(h.app.handlers.withholdReport({ epochStart: reported[0] ?? -1 })).rejects.toThrow(
      'already sent once',
    );
    expect((await h.app.handlers.outboxStatus({})).pending).toHaveLength(1);
  });
});
