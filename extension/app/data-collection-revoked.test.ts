import 'fake-indexeddb/auto';

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
import { closeCurrentEpochNow, openTallies } from './test-abilities.ts';

const shopping = categoryId('shopping');
const news = categoryId('news');
const start = Date.UTC(2026, 10, 25) + 10 * 3_600_000;
const page = (url: string) => ({ url, incognito: false });

let union: FakeUnion;
let time: Clock;
let deps: ReturnType<typeof testDeps>;
let app: Crowdsell;

async function onboard(categories: number[]) {
  await app.handlers.giveConsent({});
  for (const id of categories) await app.handlers.setCategory({ id, enabled: true });
}

async function categoryStates() {
  const { categories } = await app.handlers.listCategories({});
  return categories.map((c) => [c.key, c.enabled]);
}

beforeEach(async () => {
  union = await startFakeUnion();
  union.config = await signConfig(makeConfig());
  time = clock(start);
  deps = testDeps({ settings: { ...testSettings, unionUrl: union.url }, now: time.now, fetch });
  app = createCrowdsell(deps);
});
afterEach(async () => {
  (await app.ready()).db.close();
  await union.close();
});

describe('Firefox withdrawing the browsingActivity permission', () => {
  it('switches every category off, forgets their open counts and says why', async () => {
    await onboard([shopping, news]);
    await app.onPageLoaded(page('https://crowdsell-shop.com/'));
    await app.onPageLoaded(page('https://crowdsell-news.com/'));
    await app.onAttention({ foreground: page('https://crowdsell-shop.com/') });
    time.advance(60_000);
    const [open] = await openTallies(app);
    expect(Object.keys(open?.tallies ?? {}).sort()).toEqual(
      [String(shopping), String(news)].sort(),
    );

    await app.onDataCollectionRevoked();

    expect(await categoryStates()).toEqual([
      ['shopping', false],
      ['news', false],
    ]);
    expect((await app.handlers.listCategories({})).dataCollectionRevokedAt).toBe(time.now());
    expect((await openTallies(app)).map((epoch) => epoch.tallies)).toEqual([{}]);
    const status = await app.handlers.status({});
    expect(status.recording).toBe(false);
    // Only the categories go off: onboarding consent stands, so switching one on needs no new
    // onboarding (the popup asks Firefox again in that click).
    expect(status.consentGivenAt).not.toBeNull();
    expect((await app.ready()).state.attention).toBeNull();

    await app.onPageLoaded(page('https://crowdsell-shop.com/'));
    expect((await openTallies(app)).map((epoch) => epoch.tallies)).toEqual([{}]);
  });

  it('keeps the notice across a worker restart until a category is switched on again', async () => {
    await onboard([shopping]);
    await app.onDataCollectionRevoked();
    const revokedAt = time.now();

    const restarted = createCrowdsell(deps);
    expect((await restarted.handlers.listCategories({})).dataCollectionRevokedAt).toBe(revokedAt);
    await restarted.handlers.setCategory({ id: news, enabled: false });
    expect((await restarted.handlers.listCategories({})).dataCollectionRevokedAt).toBe(revokedAt);

    await restarted.handlers.setCategory({ id: news, enabled: true });
    expect((await restarted.handlers.listCategories({})).dataCollectionRevokedAt).toBeNull();
    (await restarted.ready()).db.close();
  });

  it('deletes reports still waiting in the outbox: nothing is sent after the permission is gone', async () => {
    await onboard([shopping]); // not joined: a closed epoch's report waits in the outbox
    await app.onPageLoaded(page('https://crowdsell-shop.com/'));
    expect((await closeCurrentEpochNow(app)).reported).toHaveLength(1);
    const ctx = await app.ready();
    expect(await ctx.db.count('outbox')).toBe(1);

    await app.onDataCollectionRevoked();
    expect(await ctx.db.count('outbox')).toBe(0);
    await app.handlers.join({});
    await app.onAlarm('outbox-flush');
    expect(union.reports).toHaveLength(0);
  });

  it('changes nothing when no category is on', async () => {
    await onboard([]);
    await app.onDataCollectionRevoked();
    expect((await app.handlers.listCategories({})).dataCollectionRevokedAt).toBeNull();
  });
});
