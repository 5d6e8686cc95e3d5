import { describe, expect, it } from 'vitest';

import type { ConsentState } from '../storage/schema.ts';
import { aggregationFor } from '../protocol/config-aggregation.ts';
import { categoryId, makeConfig, testAggregationChoice } from '../testing/fixtures.ts';
import {
  decideRecording,
  initialConsent,
  isCategoryEnabled,
  revokeDataCollection,
  setCategory,
  withdrawConsent,
} from './consent-rules.ts';
import {
  affectedCategories,
  applyPrivacyChange,
  confirmPrivacyChange,
  diffPrivacy,
  isHeldForChange,
} from './privacy-change.ts';

const shopping = categoryId('shopping');
const news = categoryId('news');
const v1 = makeConfig();
const withRules = (version: number, shop: string[], overrides = {}) =>
  makeConfig({
    version,
    categories: v1.categories.map((c) => (c.id === shopping ? { ...c, domains: shop } : c)),
    ...overrides,
  });

function onFor(...ids: number[]): ConsentState {
  const given: ConsentState = { ...initialConsent(), givenAt: 1 };
  return ids.reduce((consent, id) => setCategory(consent, id, true, 1), given);
}

describe('diffPrivacy', () => {
  it('lists added and removed rules per category, and every privacy parameter that moved', () => {
    const next = withRules(2, ['crowdsell-shop.com', 'example.com'], {
      epochSeconds: 43_200,
      privacy: { ...v1.privacy, maxVisits: 80, kThreshold: 60 },
    });
    expect(diffPrivacy(v1, next)).toEqual([
      { kind: 'daily-epsilon', from: 2, to: 4 },
      { kind: 'epoch-seconds', from: 86_400, to: 43_200 },
      { kind: 'max-visits', from: 50, to: 80 },
      { kind: 'k-threshold', from: 50, to: 60 },
      { kind: 'rules', category: shopping, label: 'Shopping', added: ['example.com'], removed: [] },
    ]);
    expect(diffPrivacy(v1, withRules(2, []))).toEqual([
      {
        kind: 'rules',
        category: shopping,
        label: 'Shopping',
        added: [],
        removed: ['crowdsell-shop.com'],
      },
    ]);
    expect(diffPrivacy(v1, makeConfig({ version: 2, issuedAt: 9 }))).toEqual([]);
  });

  it('lists a change of who receives the reports: the union alone, or which two aggregators', () => {
    const block = aggregationFor(v1, testAggregationChoice);
    const dap = makeConfig({ version: 2, aggregation: block });
    expect(diffPrivacy(v1, dap)).toContainEqual({
      kind: 'aggregators',
      from: null,
      to: 'union.example.org + helper.example.net',
    });
    // Another helper under the same terms is a change too: it is who must not collude.
    const otherHelper = makeConfig({
      version: 3,
      aggregation: { ...block, helperUrl: 'https://other-helper.example.com/' },
    });
    expect(diffPrivacy(dap, otherHelper)).toEqual([
      {
        kind: 'aggregators',
        from: 'union.example.org + helper.example.net',
        to: 'union.example.org + other-helper.example.com',
      },
    ]);
    expect(affectedCategories(diffPrivacy(dap, otherHelper), [news, shopping])).toHaveLength(2);
    // A key rotation alone changes nothing the member agreed to.
    const rotated = makeConfig({ version: 3, aggregation: { ...block, leaderHpkeConfig: 'AQ' } });
    expect(diffPrivacy(dap, rotated)).toEqual([]);
  });

  it('affects every enabled category for a global change, only the touched ones for rules', () => {
    const rules = diffPrivacy(v1, withRules(2, ['example.com']));
    expect(affectedCategories(rules, [news, shopping])).toEqual([shopping]);
    const global = diffPrivacy(
      v1,
      makeConfig({ version: 2, privacy: { ...v1.privacy, epsilon: 1 } }),
    );
    expect(affectedCategories(global, [news, shopping])).toEqual(
      [shopping, news].sort((a, b) => a - b),
    );
  });
});

describe('a privacy change held for confirmation', () => {
  it('holds the widened category (nothing recorded) until confirmed, and leaves others alone', () => {
    const consent = applyPrivacyChange(
      onFor(shopping, news),
      v1,
      withRules(2, ['crowdsell-shop.com', 'example.com']),
      5,
    );
    expect(consent.privacyChange).toMatchObject({
      fromVersion: 1,
      toVersion: 2,
      categories: [shopping],
      at: 5,
    });
    const visit = { now: 6, incognito: false, excluded: false };
    expect(decideRecording(consent, { ...visit, category: shopping })).toBe(
      'awaiting-confirmation',
    );
    expect(decideRecording(consent, { ...visit, category: news })).toBe('record');
    expect(isCategoryEnabled(consent, shopping)).toBe(false);

    const confirmed = confirmPrivacyChange(consent);
    expect(confirmed.privacyChange).toBeUndefined();
    expect(decideRecording(confirmed, { ...visit, category: shopping })).toBe('record');
  });

  it('holds nothing for the first config, for categories left off, or for no change', () => {
    expect(applyPrivacyChange(onFor(shopping), undefined, v1, 1).privacyChange).toBeUndefined();
    expect(
      applyPrivacyChange(onFor(news), v1, withRules(2, ['example.com']), 1).privacyChange,
    ).toBeUndefined();
    expect(
      applyPrivacyChange(onFor(shopping), v1, makeConfig({ version: 2 }), 1).privacyChange,
    ).toBeUndefined();
  });

  it('compares later configs with the agreed one, and releases the hold when a config undoes it', () => {
    const held = applyPrivacyChange(onFor(shopping), v1, withRules(2, ['example.com']), 1);
    const twice = applyPrivacyChange(
      held,
      withRules(2, ['example.com']),
      withRules(3, ['example.com', 'b.com']),
      2,
    );
    expect(twice.privacyChange).toMatchObject({ fromVersion: 1, toVersion: 3, at: 1 });
    expect(twice.privacyChange?.changes).toEqual([
      {
        kind: 'rules',
        category: shopping,
        label: 'Shopping',
        added: ['b.com', 'example.com'],
        removed: ['crowdsell-shop.com'],
      },
    ]);
    const undone = applyPrivacyChange(
      twice,
      withRules(3, []),
      withRules(4, ['crowdsell-shop.com']),
      3,
    );
    expect(undone.privacyChange).toBeUndefined();
  });

  it('lets the member switch a held category on again (consent to the rules shown) or off', () => {
    const held = applyPrivacyChange(
      onFor(shopping, news),
      v1,
      makeConfig({ version: 2, privacy: { ...v1.privacy, epsilon: 1 } }),
      1,
    );
    const again = setCategory(held, shopping, true, 2);
    expect(isHeldForChange(again, shopping)).toBe(false);
    expect(isHeldForChange(again, news)).toBe(true);
    const off = setCategory(again, news, false, 3);
    expect(off.privacyChange).toBeUndefined();
  });

  it('is dropped when every category goes off (consent withdrawn, Firefox permission gone)', () => {
    const held = applyPrivacyChange(onFor(shopping), v1, withRules(2, ['example.com']), 1);
    expect(held.privacyChange).toBeDefined();
    expect(withdrawConsent(held, 2).privacyChange).toBeUndefined();
    expect(revokeDataCollection(held, 2).privacyChange).toBeUndefined();
  });
});
