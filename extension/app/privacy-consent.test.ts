/**
 * The core in Node: a config that widens a category's rules holds that category (a visit in
 * between is not counted) until the member confirms; each reported epoch is charged to the
 * budget ledger, and an epoch over the 30-day cap is not reported.
 */
import 'fake-indexeddb/auto';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { aggregationFor } from '../protocol/config-aggregation.ts';
import { DAY_SECONDS } from '../protocol/privacy-budget.ts';
import { startAppHarness, type AppHarness } from '../testing/app-harness.ts';
import { categoryId, makeConfig, signConfig, testAggregationChoice } from '../testing/fixtures.ts';
import { closeCurrentEpochNow, setNoise } from './test-abilities.ts';

const shopping = categoryId('shopping');
const news = categoryId('news');
const dayStart = Date.UTC(2026, 10, 25) / 1000;
const page = (url: string) => ({ url, incognito: false });

let h: AppHarness;

beforeEach(async () => {
  h = await startAppHarness(dayStart * 1000 + 10 * 3_600_000);
  await setNoise(h.app, false);
  await h.app.handlers.giveConsent({});
  await h.app.handlers.setCategory({ id: shopping, enabled: true });
  await h.app.handlers.setCategory({ id: news, enabled: true });
});
afterEach(() => h.close());

async function countedVisits(id: number): Promise<number> {
  const epochs = await (await h.app.ready()).db.getAll('epochs');
  return epochs.reduce((sum, e) => sum + (e.tallies[String(id)]?.visits ?? 0), 0);
}

describe('consent follows a privacy change', () => {
  it('holds a category whose rules were widened until the member confirms', async () => {
    const base = makeConfig();
    h.union.config = await signConfig(
      makeConfig({
        version: 2,
        categories: base.categories.map((c) =>
          c.id === shopping ? { ...c, domains: [...c.domains, 'crowdsell-deals.com'] } : c,
        ),
      }),
    );
    expect((await h.app.handlers.refreshConfig({})).version).toBe(2);
    const listed = await h.app.handlers.listCategories({});
    expect(listed.privacyChange).toMatchObject({
      fromVersion: 1,
      toVersion: 2,
      categories: [shopping],
      changes: [{ kind: 'rules', category: shopping, added: ['crowdsell-deals.com'], removed: [] }],
    });
    expect(listed.categories.find((c) => c.id === shopping)).toMatchObject({
      enabled: true,
      held: true,
      domains: ['crowdsell-shop.com', 'crowdsell-deals.com'],
    });

    // Between the change and the confirmation, nothing is counted for Shopping; News goes on.
    await h.app.onPageLoaded(page('https://crowdsell-deals.com/'));
    await h.app.onPageLoaded(page('https://crowdsell-shop.com/'));
    await h.app.onPageLoaded(page('https://crowdsell-news.com/'));
    expect(await countedVisits(shopping)).toBe(0);
    expect(await countedVisits(news)).toBe(1);

    await expect(h.app.handlers.confirmPrivacyChange({ version: 1 })).rejects.toThrow(
      /changed its terms again/,
    );
    await h.app.handlers.confirmPrivacyChange({ version: 2 });
    expect((await h.app.handlers.listCategories({})).privacyChange).toBeNull();
    await h.app.onPageLoaded(page('https://crowdsell-deals.com/'));
    expect(await countedVisits(shopping)).toBe(1);
  });
});

describe('the privacy budget on the device', () => {
  it('charges each reported epoch and shows what is spent and left', async () => {
    expect(await h.app.handlers.privacyBudget({})).toEqual({
      kind: 'store',
      day: { spent: 0, cap: 8 },
      days30: { spent: 0, cap: 120 },
    });
    await h.app.onPageLoaded(page('https://crowdsell-shop.com/'));
    const closed = await closeCurrentEpochNow(h.app, { send: false });
    expect(closed.reported).toEqual([dayStart]);
    const ctx = await h.app.ready();
    expect(await ctx.db.get('state', 'privacy-budget')).toEqual({
      entries: [{ epochStart: dayStart, epochEnd: dayStart + DAY_SECONDS, epsilonCents: 200 }],
    });
  });

  it('accepts a config with an aggregation block and charges only its central ε while local noise is off', async () => {
    const next = makeConfig({ version: 2 });
    h.union.config = await signConfig({
      ...next,
      aggregation: aggregationFor(next, testAggregationChoice),
    });
    expect((await h.app.handlers.refreshConfig({})).version).toBe(2);
    // Local noise is off by default under central noise: the daily ε spent goes from 2 to 1.
    expect((await h.app.handlers.listCategories({})).privacyChange?.changes).toContainEqual({
      kind: 'daily-epsilon',
      from: 2,
      to: 1,
    });
    await h.app.handlers.confirmPrivacyChange({ version: 2 });
    await h.app.onPageLoaded(page('https://crowdsell-shop.com/'));
    expect((await closeCurrentEpochNow(h.app, { send: false })).reported).toEqual([dayStart]);
    const ctx = await h.app.ready();
    expect(await ctx.db.get('state', 'privacy-budget')).toEqual({
      entries: [{ epochStart: dayStart, epochEnd: dayStart + DAY_SECONDS, epsilonCents: 100 }],
    });
  });

  it('charges the local ε with the central ε when the aggregation block turns local noise on', async () => {
    const next = makeConfig({ version: 2 });
    h.union.config = await signConfig({
      ...next,
      aggregation: { ...aggregationFor(next, testAggregationChoice), localNoise: true },
    });
    expect((await h.app.handlers.refreshConfig({})).version).toBe(2);
    expect((await h.app.handlers.listCategories({})).privacyChange?.changes).toContainEqual({
      kind: 'daily-epsilon',
      from: 2,
      to: 3,
    });
    await h.app.handlers.confirmPrivacyChange({ version: 2 });
    expect((await closeCurrentEpochNow(h.app, { send: false })).reported).toEqual([dayStart]);
    const ctx = await h.app.ready();
    expect(await ctx.db.get('state', 'privacy-budget')).toEqual({
      entries: [{ epochStart: dayStart, epochEnd: dayStart + DAY_SECONDS, epsilonCents: 300 }],
    });
  });

  it('does not report an epoch that would pass the 30-day cap', async () => {
    const ctx = await h.app.ready();
    // 15 earlier days at ε 8 (another config): the 30-day budget of 120 is used up.
    const entries = Array.from({ length: 15 }, (_, i) => ({
      epochStart: dayStart - (i + 1) * DAY_SECONDS,
      epochEnd: dayStart - i * DAY_SECONDS,
      epsilonCents: 800,
    }));
    await ctx.db.put('state', { entries }, 'privacy-budget');
    await h.app.onPageLoaded(page('https://crowdsell-shop.com/'));
    const closed = await closeCurrentEpochNow(h.app, { send: false });
    expect(closed).toEqual({ reported: [], dropped: [dayStart] });
    expect(await ctx.db.count('outbox')).toBe(0);
  });
});
