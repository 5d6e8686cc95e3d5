import { describe, expect, it } from 'vitest';

import {
  applyConfigCategories,
  decideRecording,
  giveConsent,
  initialConsent,
  pause,
  pauseUntil,
  resume,
  revokeDataCollection,
  setCategory,
  withdrawConsent,
} from './consent-rules.ts';
import { isExcluded, normaliseSite } from './site-exclusions.ts';

const now = Date.UTC(2026, 10, 25, 12, 0, 0);
const visit = { now, incognito: false, category: 289, excluded: false };
const consented = setCategory(giveConsent(initialConsent(), now - 1000), 289, true, now - 500);

describe('consent gate', () => {
  it('records nothing before onboarding consent, even for a switched-on category', () => {
    const noConsent = setCategory(initialConsent(), 289, true, now);
    expect(decideRecording(noConsent, visit)).toBe('no-consent');
  });

  it('starts with every category off', () => {
    const fresh = applyConfigCategories(giveConsent(initialConsent(), now), [289, 243], now, true);
    expect(decideRecording(fresh, visit)).toBe('category-off');
    expect(Object.values(fresh.categories).every((c) => !c.enabled && !c.isNew)).toBe(true);
  });

  it('records a switched-on category after consent', () => {
    expect(decideRecording(consented, visit)).toBe('record');
  });

  it('never records a private window', () => {
    expect(decideRecording(consented, { ...visit, incognito: true })).toBe('incognito');
  });

  it('never records an excluded site or an unclassified page', () => {
    expect(decideRecording(consented, { ...visit, excluded: true })).toBe('excluded');
    expect(decideRecording(consented, { ...visit, category: null })).toBe('unclassified');
  });

  it('records nothing while paused, and again once the pause ends', () => {
    const paused = pause(consented, now, now + 3_600_000);
    expect(decideRecording(paused, visit)).toBe('paused');
    expect(decideRecording(paused, { ...visit, now: now + 3_600_000 })).toBe('record');
    expect(decideRecording(pause(consented, now, null), { ...visit, now: now + 1e12 })).toBe(
      'paused',
    );
    expect(decideRecording(resume(paused), visit)).toBe('record');
  });

  it('a withdrawn Firefox data permission switches every category off until one is switched on', () => {
    const both = setCategory(consented, 243, true, now - 400);
    const revoked = revokeDataCollection(both, now);
    expect(decideRecording(revoked, visit)).toBe('category-off');
    expect(decideRecording(revoked, { ...visit, category: 243 })).toBe('category-off');
    expect(revoked.dataCollectionRevokedAt).toBe(now);
    expect(revoked.givenAt).toBe(both.givenAt);
    expect(setCategory(revoked, 243, false, now + 1).dataCollectionRevokedAt).toBe(now);
    const again = setCategory(revoked, 289, true, now + 2);
    expect(again).not.toHaveProperty('dataCollectionRevokedAt');
    expect(decideRecording(again, visit)).toBe('record');
  });

  it('withdrawing consent switches every category off; consenting again starts from nothing', () => {
    const withdrawn = withdrawConsent(consented, now);
    expect(decideRecording(withdrawn, visit)).toBe('no-consent');
    expect(decideRecording(giveConsent(withdrawn, now), visit)).toBe('category-off');
  });

  it('marks categories that a later config adds as new and off, keeping earlier choices', () => {
    const next = applyConfigCategories(consented, [289, 243], now, false);
    expect(next.categories['243']).toMatchObject({ enabled: false, isNew: true });
    expect(next.categories['289']).toMatchObject({ enabled: true, isNew: false });
  });
});

describe('pause choices', () => {
  it('pauses for an hour', () => {
    expect(pauseUntil({ kind: 'hour' }, now, 0)).toBe(now + 3_600_000);
  });

  it('pauses until the next local midnight for "tomorrow"', () => {
    // 12:00 UTC in UTC+2 (offset −120) is 14:00 local; local midnight is 22:00 UTC.
    expect(pauseUntil({ kind: 'tomorrow' }, now, -120)).toBe(Date.UTC(2026, 10, 25, 22, 0, 0));
    expect(pauseUntil({ kind: 'tomorrow' }, now, 0)).toBe(Date.UTC(2026, 10, 26, 0, 0, 0));
  });

  it('pauses indefinitely until resumed', () => {
    expect(pauseUntil({ kind: 'indefinitely' }, now, 0)).toBeNull();
  });
});

describe('site exclusions', () => {
  it.each([
    ['Shop.Example.com', 'shop.example.com'],
    ['https://www.example.co.uk/basket?id=1', 'example.co.uk'],
    ['bücher.example', 'xn--bcher-kva.example'],
  ])('normalises %s to %s', (input, site) => {
    expect(normaliseSite(input)).toBe(site);
  });

  it('refuses something that is not a site', () => {
    expect(() => normaliseSite('not a site')).toThrow(/not a web site/);
  });

  it('covers subdomains of an excluded site but not look-alikes', () => {
    const excluded = new Set(['example.com']);
    expect(isExcluded('example.com', excluded)).toBe(true);
    expect(isExcluded('shop.example.com', excluded)).toBe(true);
    expect(isExcluded('badexample.com', excluded)).toBe(false);
    expect(isExcluded('example.com.evil.net', excluded)).toBe(false);
  });
});
