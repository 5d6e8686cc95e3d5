import 'fake-indexeddb/auto';

import { verifyTypedData } from 'ethers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { asTypes, reportTypes } from '../protocol/eip712.ts';
import { signedReportSchema, type SignedReport } from '../protocol/wire.ts';
import { startFakeUnion, type FakeUnion } from '../testing/fake-union.ts';
import {
  categoryId,
  clock,
  makeConfig,
  signConfig,
  testDeps,
  testDomain,
  testSettings,
  type Clock,
} from '../testing/fixtures.ts';
import type { AppDeps } from './app-deps.ts';
import { createCrowdsell, type Crowdsell } from './crowdsell.ts';
import { closeCurrentEpochNow, setNoise } from './test-abilities.ts';

const shopping = categoryId('shopping');
const news = categoryId('news');
const epochStart = Date.UTC(2026, 10, 25) / 1000;
const page = (url: string, incognito = false) => ({ url, incognito });

let union: FakeUnion;
let time: Clock;
let deps: ReturnType<typeof testDeps>;
let app: Crowdsell;

function reportsReceived(): SignedReport[] {
  return union.reports.map((body) => signedReportSchema.parse(JSON.parse(body)));
}

async function onboard(target: Crowdsell = app, categories = [shopping]) {
  const h = target.handlers;
  await h.giveConsent({});
  for (const id of categories) await h.setCategory({ id, enabled: true });
  await h.join({});
}

beforeEach(async () => {
  union = await startFakeUnion();
  union.config = await signConfig(makeConfig());
  time = clock(epochStart * 1000 + 10 * 3_600_000);
  deps = testDeps({
    settings: { ...testSettings, unionUrl: union.url },
    now: time.now,
    fetch,
  });
  app = createCrowdsell(deps);
  await setNoise(app, false);
});
afterEach(async () => {
  (await app.ready()).db.close();
  await union.close();
});

describe('the extension core', () => {
  it('records nothing before consent, and nothing in a category left off', async () => {
    await app.handlers.refreshConfig({});
    await app.onPageLoaded(page('https://crowdsell-shop.com/basket'));
    await app.handlers.giveConsent({});
    await app.onPageLoaded(page('https://crowdsell-shop.com/basket'));
    const ctx = await app.ready();
    expect(await ctx.db.getAll('epochs')).toEqual([]);
    const { categories } = await app.handlers.listCategories({});
    expect(categories.map((c) => [c.key, c.enabled])).toEqual([
      ['shopping', false],
      ['news', false],
    ]);
  });

  it('turns visits into a signed report whose counts match, and delivers it', async () => {
    await onboard(app, [shopping, news]);
    for (let i = 0; i < 3; i++)
      await app.onPageLoaded(page(`https://www.crowdsell-shop.com/p/${i}`));
    await app.onPageLoaded(page('https://crowdsell-news.com/today'));
    await app.onPageLoaded(page('https://crowdsell-other.com/'));
    // Five minutes of attention on a shop, then the user goes idle.
    await app.onAttention({ foreground: page('https://crowdsell-shop.com/') });
    expect(deps.scheduler.alarms.get('attention-tick')).toEqual({ period: 1 });
    time.advance(60_000);
    await app.onAttention({ foreground: page('https://crowdsell-shop.com/'), reanchor: true });
    time.advance(60_000);
    await app.onAttention({ foreground: null });
    expect(deps.scheduler.alarms.has('attention-tick')).toBe(false);

    const closed = await closeCurrentEpochNow(app);
    expect(closed.reported).toEqual([epochStart]);
    const [signed] = reportsReceived();
    const member = (await app.handlers.keyAddress({})).address;
    expect(signed?.report).toEqual({
      member,
      epochStart,
      epochSeconds: 86_400,
      configVersion: 1,
      counts: [
        { category: news, visits: 1, activeSeconds: 0 },
        { category: shopping, visits: 3, activeSeconds: 120 },
      ].sort((a, b) => a.category - b.category),
    });
    expect(
      verifyTypedData(testDomain, asTypes(reportTypes), signed!.report, signed!.signature),
    ).toBe(member);
    const { entries } = await app.handlers.sentLog({});
    expect(entries).toHaveLength(1);
    expect(entries[0]?.body).toBe(union.reports[0]);
    expect(entries[0]?.outcome).toBe('stored');
  });

  it('loses no count when the service worker restarts mid-epoch', async () => {
    await onboard();
    await app.onPageLoaded(page('https://crowdsell-shop.com/1'));
    await app.onPageLoaded(page('https://crowdsell-shop.com/2'));
    // The worker is killed: memory is gone, a new instance starts from IndexedDB.
    const restarted = createCrowdsell(deps);
    await restarted.onPageLoaded(page('https://crowdsell-shop.com/3'));
    await closeCurrentEpochNow(restarted);
    expect(reportsReceived()[0]?.report.counts).toEqual([
      { category: shopping, visits: 3, activeSeconds: 0 },
    ]);
    (await restarted.ready()).db.close();
  });

  it('never counts private windows, excluded sites or a paused browser', async () => {
    await onboard();
    await app.onPageLoaded(page('https://crowdsell-shop.com/', true));
    await app.handlers.addExclusion({ site: 'https://secret.crowdsell-shop.com/x' });
    await app.onPageLoaded(page('https://secret.crowdsell-shop.com/'));
    await app.handlers.pause({ choice: 'hour' });
    await app.onPageLoaded(page('https://crowdsell-shop.com/'));
    time.advance(3_600_000);
    await app.onPageLoaded(page('https://crowdsell-shop.com/counted'));
    await app.handlers.pause({ choice: 'indefinitely' });
    await app.onPageLoaded(page('https://crowdsell-shop.com/'));
    await app.handlers.resume({});
    await app.onPageLoaded(page('https://crowdsell-shop.com/counted-too'));
    await closeCurrentEpochNow(app);
    expect(reportsReceived()[0]?.report.counts[0]?.visits).toBe(2);
    expect((await app.handlers.listExclusions({})).sites.map((s) => s.site)).toEqual([
      'secret.crowdsell-shop.com',
    ]);
  });

  it('reports every switched-on category, with zeros, even in an epoch without visits', async () => {
    await onboard(app, [shopping, news]);
    time.advance(86_400_000);
    await app.onAlarm('epoch-close');
    // It waits for its own random send time (within six hours), when the flush alarm fires.
    expect(union.reports).toEqual([]);
    const sendAt = deps.scheduler.alarms.get('outbox-flush')?.when ?? 0;
    expect(sendAt - time.now()).toBeGreaterThanOrEqual(0);
    expect(sendAt - time.now()).toBeLessThanOrEqual(6 * 3_600_000);
    time.set(sendAt);
    await app.onAlarm('outbox-flush');
    const [signed] = reportsReceived();
    expect(signed?.report.epochStart).toBe(epochStart);
    expect(signed?.report.counts.map((c) => [c.visits, c.activeSeconds])).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it('keeps reports in the outbox until the union accepts the member', async () => {
    union.joinStatus = 'pending';
    await onboard();
    await app.onPageLoaded(page('https://crowdsell-shop.com/'));
    await closeCurrentEpochNow(app);
    expect(union.reports).toEqual([]);
    expect((await app.handlers.status({})).outbox.pending).toBe(1);
    expect(deps.scheduler.alarms.has('join-check')).toBe(true);
    union.memberStatus = 'active';
    await app.onAlarm('join-check');
    expect(union.reports).toHaveLength(1);
    expect((await app.handlers.status({})).outbox.pending).toBe(0);
  });

  it('keeps the last good config when the union offers a refused one', async () => {
    await app.handlers.refreshConfig({});
    union.config = await signConfig(
      makeConfig({ version: 2, privacy: { ...makeConfig().privacy, epsilon: 100 } }),
    );
    const view = await app.handlers.refreshConfig({});
    expect(view.version).toBe(1);
    expect(view.lastError?.code).toBe('CONFIG_MALFORMED');
  });

  it('adds the categories of a newer config switched off and marked new', async () => {
    await onboard();
    const base = makeConfig();
    union.config = await signConfig({
      ...base,
      version: 2,
      categories: [
        ...base.categories,
        {
          id: categoryId('travel-transportation'),
          key: 'travel-transportation',
          label: 'Travel',
          description: 'Trips.',
          domains: ['crowdsell-trips.com'],
        },
      ],
    });
    await app.handlers.refreshConfig({});
    const { categories } = await app.handlers.listCategories({});
    expect(categories.map((c) => [c.key, c.enabled, c.isNew])).toEqual([
      ['shopping', true, false],
      ['news', false, false],
      ['travel-transportation', false, true],
    ]);
  });

  it('forgets open counts and unsent reports when consent is withdrawn', async () => {
    union.joinStatus = 'pending';
    await onboard();
    await app.onPageLoaded(page('https://crowdsell-shop.com/'));
    await closeCurrentEpochNow(app);
    time.advance(86_400_000);
    await app.onPageLoaded(page('https://crowdsell-shop.com/'));
    await app.handlers.withdrawConsent({});
    const ctx = await app.ready();
    expect(await ctx.db.getAll('epochs')).toEqual([]);
    expect(await ctx.db.getAll('outbox')).toEqual([]);
    expect((await app.handlers.status({})).recording).toBe(false);
  });

  it('restores a key backup: same address, membership asked again', async () => {
    const original = (await app.handlers.keyAddress({})).address;
    const { keystore } = await app.handlers.exportBackup({ password: 'a long backup passphrase' });
    await app.handlers.deleteAllData({ confirm: true });
    const fresh = (await app.handlers.keyAddress({})).address;
    expect(fresh).not.toBe(original);
    expect((await app.handlers.status({})).consentGivenAt).toBeNull();
    const restored = await app.handlers.importBackup({
      keystore,
      password: 'a long backup passphrase',
    });
    expect(restored).toEqual({ address: original, previousAddress: fresh });
    expect((await app.handlers.keyAddress({})).address).toBe(original);
  });

  it('leaves the union with a signed request and stops recording', async () => {
    await onboard();
    const join = await app.handlers.leave({});
    expect(join.status).toBe('left');
    expect(union.memberStatus).toBe('left');
    await app.onPageLoaded(page('https://crowdsell-shop.com/'));
    expect(await (await app.ready()).db.getAll('epochs')).toEqual([]);
  });
});

describe('test hooks', () => {
  it('cannot switch noise off in a production build', async () => {
    const production: AppDeps = { ...deps, testHooks: false, openDb: testDeps().openDb };
    const prod = createCrowdsell(production);
    await setNoise(prod, false);
    expect((await prod.ready()).state.noise).toBe(true);
    (await prod.ready()).db.close();
  });
});
