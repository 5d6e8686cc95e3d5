import { describe, expect, it } from 'vitest';

import {
  adminWallet,
  makeConfig,
  signConfig,
  testDomain,
  thrownCode,
} from '../testing/fixtures.ts';
import { acceptSignedConfig, checkConfigContent } from './config.ts';
import {
  budgetAllows,
  budgetSummary,
  chargeLedger,
  checkPrivacyLimits,
  dailyEpsilonCents,
  deviceDailyEpsilonCents,
  deviceEpochEpsilonCents,
  DAY_SECONDS,
  DEVELOPMENT_LIMITS,
  emptyLedger,
  epochEpsilonCents,
  localNoiseApplies,
  STORE_LIMITS,
  type BudgetEntry,
  type BudgetLedger,
} from './privacy-budget.ts';

const config = (epochSeconds: number, epsilon: number, kThreshold = 50) =>
  makeConfig({ epochSeconds, privacy: { ...makeConfig().privacy, epsilon, kThreshold } });

describe('the per-day and per-config privacy limits', () => {
  it('refuse a 60-second-epoch config at ε = 8 in a store build (ε 11,520 a day)', async () => {
    const signed = await signConfig(config(60, 8, 50));
    expect(() =>
      acceptSignedConfig(signed, { domain: testDomain, admin: adminWallet.address }),
    ).toThrow(/shorter than the minimum of 3600 seconds/);
    // Even with a long enough epoch the daily cap holds: hourly epochs at ε = 8 are 192 a day.
    expect(thrownCode(() => checkConfigContent(config(3600, 8)))).toBe('CONFIG_EPSILON_BUDGET');
    expect(() => checkConfigContent(config(3600, 8))).toThrow(
      /spends 192 in a day, above the cap of 8/,
    );
  });

  it('accept the default config (ε 2 a day) and hourly epochs up to ε 0.33', () => {
    expect(dailyEpsilonCents(makeConfig())).toBe(200);
    expect(thrownCode(() => checkPrivacyLimits(makeConfig(), STORE_LIMITS))).toBeNull();
    expect(thrownCode(() => checkPrivacyLimits(config(3600, 0.33), STORE_LIMITS))).toBeNull();
    expect(thrownCode(() => checkPrivacyLimits(config(3600, 0.34), STORE_LIMITS))).toBe(
      'CONFIG_EPSILON_BUDGET',
    );
    // A week-long epoch still spends its whole ε on the day it is reported.
    expect(dailyEpsilonCents(config(7 * DAY_SECONDS, 8))).toBe(800);
  });

  it('refuse k below 50 and epochs under an hour in store builds only', () => {
    expect(thrownCode(() => checkPrivacyLimits(config(DAY_SECONDS, 2, 49), STORE_LIMITS))).toBe(
      'CONFIG_K_TOO_SMALL',
    );
    expect(thrownCode(() => checkPrivacyLimits(config(1800, 0.1), STORE_LIMITS))).toBe(
      'CONFIG_EPOCH_TOO_SHORT',
    );
    expect(thrownCode(() => checkPrivacyLimits(config(60, 2, 2), DEVELOPMENT_LIMITS))).toBeNull();
    expect(thrownCode(() => checkPrivacyLimits(config(30 * 2, 2, 1), DEVELOPMENT_LIMITS))).toBe(
      'CONFIG_K_TOO_SMALL',
    );
  });

  it('apply development limits only when the caller passes them explicitly', async () => {
    const signed = await signConfig(config(60, 2, 2));
    const trust = { domain: testDomain, admin: adminWallet.address };
    expect(() => acceptSignedConfig(signed, trust)).toThrow(/shorter than the minimum/);
    expect(acceptSignedConfig(signed, { ...trust, limits: DEVELOPMENT_LIMITS }).config).toEqual(
      signed.config,
    );
  });
});

const hour = (i: number, cents: number): BudgetEntry => ({
  epochStart: i * 3600,
  epochEnd: (i + 1) * 3600,
  epsilonCents: cents,
});

function charged(entries: BudgetEntry[]): BudgetLedger {
  return entries.reduce(chargeLedger, emptyLedger());
}

describe('the rolling budget ledger', () => {
  it('refuses a report that would spend more than 8 in 24 hours, whatever the configs were', () => {
    // A day epoch at ε 8 ended at hour 24; then hourly epochs at ε 0.33 (a config change).
    const day: BudgetEntry = { epochStart: 0, epochEnd: DAY_SECONDS, epsilonCents: 800 };
    const ledger = charged([day]);
    expect(budgetAllows(ledger, hour(24, 33), STORE_LIMITS)).toEqual({
      ok: false,
      window: 'day',
      cap: 8,
    });
    // Once the day epoch is more than 24 hours old, hourly reports fit again.
    expect(budgetAllows(ledger, hour(47, 33), STORE_LIMITS)).toEqual({ ok: true });
    expect(budgetAllows(ledger, hour(24, 33), DEVELOPMENT_LIMITS)).toEqual({ ok: true });
  });

  it('lets hourly epochs at a sustainable ε 0.16 (3.84 a day) through, day after day', () => {
    let ledger = emptyLedger();
    for (let i = 0; i < 24 * 40; i += 1) {
      expect(budgetAllows(ledger, hour(i, 16), STORE_LIMITS).ok, `hour ${i}`).toBe(true);
      ledger = chargeLedger(ledger, hour(i, 16));
    }
    // Only the last 30 days are kept.
    expect(ledger.entries).toHaveLength(24 * 30);
  });

  it('refuses what would pass 120 in 30 days (15 days at the daily maximum), and counts an epoch once', () => {
    const dayEntry = (d: number, cents = 800): BudgetEntry => ({
      epochStart: d * DAY_SECONDS,
      epochEnd: (d + 1) * DAY_SECONDS,
      epsilonCents: cents,
    });
    const ledger = charged(Array.from({ length: 14 }, (_, d) => dayEntry(d)));
    expect(budgetAllows(ledger, dayEntry(14), STORE_LIMITS).ok).toBe(true);
    const full = chargeLedger(ledger, dayEntry(14));
    expect(chargeLedger(full, dayEntry(14))).toEqual(full);
    expect(budgetAllows(full, dayEntry(15, 1), STORE_LIMITS)).toEqual({
      ok: false,
      window: '30 days',
      cap: 120,
    });
    // Day 30 is 30 days after day 0 ended: that spend has left the window.
    expect(budgetAllows(full, dayEntry(30), STORE_LIMITS).ok).toBe(true);
    expect(budgetAllows(full, dayEntry(15), DEVELOPMENT_LIMITS).ok).toBe(true);
  });

  it('charges an epoch of a config with central ε its local plus central ε, against both caps', () => {
    const central = (epsilon: number, centralEpsilon: number) => ({
      epochSeconds: DAY_SECONDS,
      privacy: { epsilon },
      aggregation: { centralEpsilon },
    });
    expect(epochEpsilonCents(central(2, 1.5))).toBe(350);
    expect(epochEpsilonCents({ privacy: { epsilon: 2 } })).toBe(200);
    expect(dailyEpsilonCents({ ...central(0.2, 0.13), epochSeconds: 3600 })).toBe(792);
    expect(
      thrownCode(() =>
        checkPrivacyLimits(
          { ...config(3600, 0.2), aggregation: { centralEpsilon: 0.14 } },
          STORE_LIMITS,
        ),
      ),
    ).toBe('CONFIG_EPSILON_BUDGET');
    // Daily epochs at 2 local + 2.01 central spend 4.01 a day: the 30th within 30 days passes
    // 120 (30 × 4.01), while the same epochs at the local ε alone would not.
    const dayEntry = (d: number, spend: { privacy: { epsilon: number } }): BudgetEntry => ({
      epochStart: d * DAY_SECONDS,
      epochEnd: (d + 1) * DAY_SECONDS,
      epsilonCents: epochEpsilonCents(spend),
    });
    const withCentral = central(2, 2.01);
    const days = (n: number) =>
      charged(Array.from({ length: n }, (_, d) => dayEntry(d, withCentral)));
    expect(budgetAllows(days(28), dayEntry(28, withCentral), STORE_LIMITS).ok).toBe(true);
    expect(budgetAllows(days(29), dayEntry(29, withCentral), STORE_LIMITS)).toEqual({
      ok: false,
      window: '30 days',
      cap: 120,
    });
    const localOnly = { privacy: { epsilon: 2 } };
    const local = charged(Array.from({ length: 29 }, (_, d) => dayEntry(d, localOnly)));
    expect(budgetAllows(local, dayEntry(29, localOnly), STORE_LIMITS).ok).toBe(true);
  });

  it('charges a device the ε it spends: central only while local noise is off under aggregation', () => {
    const block = (localNoise?: boolean) => ({
      privacy: { epsilon: 2 },
      aggregation: { centralEpsilon: 1.5, ...(localNoise === undefined ? {} : { localNoise }) },
    });
    expect(localNoiseApplies({})).toBe(true);
    expect(localNoiseApplies(block())).toBe(false);
    expect(localNoiseApplies(block(false))).toBe(false);
    expect(localNoiseApplies(block(true))).toBe(true);
    expect(deviceEpochEpsilonCents({ privacy: { epsilon: 2 } })).toBe(200);
    expect(deviceEpochEpsilonCents(block())).toBe(150);
    expect(deviceEpochEpsilonCents(block(true))).toBe(350);
    // The config is still checked against what it could spend: local plus central.
    expect(epochEpsilonCents(block())).toBe(350);
    expect(deviceDailyEpsilonCents({ ...block(), epochSeconds: 3600 })).toBe(3600);
  });

  it('summarises the last 24 hours and 30 days against the caps', () => {
    const ledger = charged([hour(0, 200), hour(30, 150)]);
    expect(budgetSummary(ledger, 31 * 3600, STORE_LIMITS)).toEqual({
      kind: 'store',
      day: { spent: 1.5, cap: 8 },
      days30: { spent: 3.5, cap: 120 },
    });
  });
});
