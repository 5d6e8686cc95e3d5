import 'fake-indexeddb/auto';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { startAppHarness, type AppHarness } from '../testing/app-harness.ts';
import { categoryId } from '../testing/fixtures.ts';
import { closeCurrentEpochNow, openTallies } from './test-abilities.ts';

const shopping = categoryId('shopping');
const news = categoryId('news');
const start = Date.UTC(2026, 10, 25) + 10 * 3_600_000;
const page = (url: string) => ({ url, incognito: false });

let h: AppHarness;

async function onboard(categories: number[]) {
  await h.app.handlers.giveConsent({});
  for (const id of categories) await h.app.handlers.setCategory({ id, enabled: true });
}

async function categoryStates() {
  const { categories } = await h.app.handlers.listCategories({});
  return categories.map((c) => [c.key, c.enabled]);
}

beforeEach(async () => {
  h = await startAppHarness(start);
});
afterEach(() => h.close());

describe('Firefox withdrawing the browsingActivity permission', () => {
  it('switches every category off, forgets their open counts and says why', async () => {
    await onboard([shopping, news]);
    await h.app.onPageLoaded(page('https://crowdsell-shop.com/'));
    await h.app.onPageLoaded(page('https://crowdsell-news.com/'));
    await h.app.onAttention({ foreground: page('https://crowdsell-shop.com/') });
    h.time.advance(60_000);
    const [open] = await openTallies(h.app);
    expect(Object.keys(open?.tallies ?? {}).sort()).toEqual(
      [String(shopping), String(news)].sort(),
    );

    await h.app.onDataCollectionRevoked();

    expect(await categoryStates()).toEqual([
      ['shopping', false],
      ['news', false],
    ]);
    expect((await h.app.handlers.listCategories({})).dataCollectionRevokedAt).toBe(h.time.now());
    expect((await openTallies(h.app)).map((epoch) => epoch.tallies)).toEqual([{}]);
    const status = await h.app.handlers.status({});
    expect(status.recording).toBe(false);
    // Only the categories go off: onboarding consent stands, so switching one on needs no new
    // onboarding (the popup asks Firefox again in that click).
    expect(status.consentGivenAt).not.toBeNull();
    expect((await h.app.ready()).state.attention).toBeNull();

    await h.app.onPageLoaded(page('https://crowdsell-shop.com/'));
    expect((await openTallies(h.app)).map((epoch) => epoch.tallies)).toEqual([{}]);
  });

  it('keeps the notice across a worker restart until a category is switched on again', async () => {
    await onboard([shopping]);
    await h.app.onDataCollectionRevoked();
    const revokedAt = h.time.now();

    const restarted = h.restart();
    expect((await restarted.handlers.listCategories({})).dataCollectionRevokedAt).toBe(revokedAt);
    await restarted.handlers.setCategory({ id: news, enabled: false });
    expect((await restarted.handlers.listCategories({})).dataCollectionRevokedAt).toBe(revokedAt);

    await restarted.handlers.setCategory({ id: news, enabled: true });
    expect((await restarted.handlers.listCategories({})).dataCollectionRevokedAt).toBeNull();
  });

  it('deletes reports still waiting in the outbox: nothing is sent after the permission is gone', async () => {
    await onboard([shopping]); // not joined: a closed epoch's report waits in the outbox
    await h.app.onPageLoaded(page('https://crowdsell-shop.com/'));
    expect((await closeCurrentEpochNow(h.app)).reported).toHaveLength(1);
    const ctx = await h.app.ready();
    expect(await ctx.db.count('outbox')).toBe(1);

    await h.app.onDataCollectionRevoked();
    expect(await ctx.db.count('outbox')).toBe(0);
    await h.app.handlers.join({});
    await h.app.onAlarm('outbox-flush');
    expect(h.union.reports).toHaveLength(0);
  });

  it('changes nothing when no category is on', async () => {
    await onboard([]);
    await h.app.onDataCollectionRevoked();
    expect((await h.app.handlers.listCategories({})).dataCollectionRevokedAt).toBeNull();
  });
});
