/**
 * The core in Node: a config that widens a category's rules holds that category (a visit in
 * between is not counted) until the member confirms; each reported epoch is charged to the
 * budget ledger, and an epoch over the 30-day cap is not reported.
 */
import 'fake-indexeddb/auto';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { DAY_SECONDS } from '../protocol/privacy-budget.ts';
import { startFakeUnion, type FakeUnion } from '../testing/fake-union.ts';
import {
  categoryId,
  clock,
  makeConfig,
  signConfig,
  testDeps,
  testSettings,
} from '../testing/fixtures.ts';
import { createCrowdsell, type Crowdsell } from './crowdsell.ts';
import { closeCurrentEpochNow, setNoise } from './test-abilities.ts';

const shopping = categoryId('shopping');
const news = categoryId('news');
const dayStart = Date.UTC(2026, 10, 25) / 1000;
const page = (url: string) => ({ url, incognito: false });

let union: FakeUnion;
let app: Crowdsell;

beforeEach(async () => {
  union = await startFakeUnion();
  union.config = await signConfig(makeConfig());
  const time = clock(dayStart * 1000 + 10 * 3_600_000);
  app = createCrowdsell(
    testDeps({ settings: { ...testSettings, unionUrl: union.url }, now: time.now, fetch }),
  );
  await setNoise(app, false);
  await app.handlers.giveConsent({});
  await app.handlers.setCategory({ id: shopping, enabled: true });
  await app.handlers.setCategory({ id: news, enabled: true });
});
afterEach(async () => {
  (await app.ready()).db.close();
  await union.close();
});

async function countedVisits(id: number): Promise<number> {
  const epochs = await (await app.ready()).db.getAll('epochs');
  return epochs.reduce((sum, e) => sum + (e.tallies[String(id)]?.visits ?? 0), 0);
}

describe('consent follows a privacy change', () => {
  it('holds a category whose rules were widened until the member confirms', async () => {
    const base = makeConfig();
    union.config = await signConfig(
      makeConfig({
        version: 2,
        categories: base.categories.map((c) =>
          c.id === shopping ? { ...c, domains: [...c.domains, 'crowdsell-deals.com'] } : c,
        ),
      }),
    );
    expect((await app.handlers.refreshConfig({})).version).toBe(2);
    const listed = await app.handlers.listCategories({});
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
    await app.onPageLoaded(page('https://crowdsell-deals.com/'));
    await app.onPageLoaded(page('https://crowdsell-shop.com/'));
    await app.onPageLoaded(page('https://crowdsell-news.com/'));
    expect(await countedVisits(shopping)).toBe(0);
    expect(await countedVisits(news)).toBe(1);

    await expect(app.handlers.confirmPrivacyChange({ version: 1 })).rejects.toThrow(
      /changed its terms again/,
    );
    await app.handlers.confirmPrivacyChange({ version: 2 });
    expect((await app.handlers.listCategories({})).privacyChange).toBeNull();
    await app.onPageLoaded(page('https://crowdsell-deals.com/'));
    expect(await countedVisits(shopping)).toBe(1);
  });
});

describe('the privacy budget on the device', () => {
  it('charges each reported epoch and shows what is spent and left', async () => {
    expect(await app.handlers.privacyBudget({})).toEqual({
      kind: 'store',
      day: { spent: 0, cap: 8 },
      days30: { spent: 0, cap: 120 },
    });
    await app.onPageLoaded(page('https://crowdsell-shop.com/'));
    const closed = await closeCurrentEpochNow(app, { send: false });
    expect(closed.reported).toEqual([dayStart]);
    const ctx = await app.ready();
    expect(await ctx.db.get('state', 'privacy-budget')).toEqual({
      entries: [{ epochStart: dayStart, epochEnd: dayStart + DAY_SECONDS, epsilonCents: 200 }],
    });
  });

  it('does not report an epoch that would pass the 30-day cap', async () => {
    const ctx = await app.ready();
    // 15 earlier days at ε 8 (another config): the 30-day budget of 120 is used up.
    const entries = Array.from({ length: 15 }, (_, i) => ({
      epochStart: dayStart - (i + 1) * DAY_SECONDS,
      epochEnd: dayStart - i * DAY_SECONDS,
      epsilonCents: 800,
    }));
    await ctx.db.put('state', { entries }, 'privacy-budget');
    await app.onPageLoaded(page('https://crowdsell-shop.com/'));
    const closed = await closeCurrentEpochNow(app, { send: false });
    expect(closed).toEqual({ reported: [], dropped: [dayStart] });
    expect(await ctx.db.count('outbox')).toBe(0);
  });
});
