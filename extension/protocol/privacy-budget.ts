/**
 * The privacy budget every config and every report must fit (docs/privacy.md, "Budget"), shared by
 * the extension (which refuses configs and reports beyond it) and the union (which refuses to
 * publish such a config). The per-epoch ε bound alone is not enough: the admin chooses the epoch,
 * so the budget is also capped per day and over a rolling 30 days.
 *
 * Store builds apply `STORE_LIMITS`. Development and e2e builds (and the local union of
 * `npm start`) may apply `DEVELOPMENT_LIMITS`, which allow one-minute epochs and a small k for the
 * walkthrough and the tests and do not enforce the day and 30-day caps (which one-minute epochs
 * would exceed at once); the packager refuses a build that carries them
 * (`DEVELOPMENT_LIMITS_MARKER`, scripts/package/checks.ts).
 *
 * A config is refused when it would spend more than the daily cap; the 30-day cap (a sustained
 * 4 a day) is enforced on what the device actually reports (`budgetAllows`): a config between 4
 * and 8 a day is accepted, but once 120 is spent within 30 days no report is made until older
 * spend leaves the window.
 *
 * A config is checked against its local ε plus, when it carries an aggregation block
 * (config-aggregation.ts), its central ε (`epochEpsilonCents`) against the daily cap. A device
 * charges its ledger what an epoch actually spends (`deviceEpochEpsilonCents`): the central ε, plus
 * the local ε only when it adds local noise (always for plain reports; under an aggregation block
 * only with `localNoise: true`), against the same day and 30-day caps.
 *
 * ε is handled in hundredths (configs carry at most two decimals), so sums are exact integers.
 */
import { CrowdsellError } from './errors.ts';

export const DAY_SECONDS = 86_400;
export const BUDGET_WINDOW_DAYS = 30;

export interface PrivacyLimits {
  kind: 'store' | 'development';
  /** Shortest epoch a config may have (seconds). */
  minEpochSeconds: number;
  /** Smallest k-threshold a config may have. */
  minKThreshold: number;
  /** Most ε spent in any 24 hours; null: not enforced. */
  maxDailyEpsilon: number | null;
  /** Most ε spent in any 30 days; null: not enforced. */
  max30DayEpsilon: number | null;
}

export const STORE_LIMITS: PrivacyLimits = {
  kind: 'store',
  minEpochSeconds: 3600,
  minKThreshold: 50,
  maxDailyEpsilon: 8,
  max30DayEpsilon: 120,
};

/**
 * The one string only a build that allows development limits contains (the packager looks for
 * it). Keep it referenced from `DEVELOPMENT_LIMITS` only, so a store build drops both.
 */
export const DEVELOPMENT_LIMITS_MARKER = 'crowdsell/development-privacy-limits';

export const DEVELOPMENT_LIMITS: PrivacyLimits & { marker: string } = {
  kind: 'development',
  minEpochSeconds: 60,
  minKThreshold: 2,
  maxDailyEpsilon: null,
  max30DayEpsilon: null,
  marker: DEVELOPMENT_LIMITS_MARKER,
};

/** ε in hundredths, exactly (configs have at most two decimals). */
export function epsilonCents(epsilon: number): number {
  return Math.round(epsilon * 100);
}

/** What of a config its spend depends on: the local ε and, with an aggregation block, the central ε. */
export interface EpsilonSource {
  epochSeconds: number;
  privacy: { epsilon: number };
  aggregation?: { centralEpsilon: number } | undefined;
}

/**
 * The ε one epoch spends: the local ε of the member's report plus, when the config carries an
 * aggregation block, the central ε of the sums released for that epoch (basic composition: both
 * count against the same caps).
 */
export function epochEpsilonCents(config: Omit<EpsilonSource, 'epochSeconds'>): number {
  return (
    epsilonCents(config.privacy.epsilon) + epsilonCents(config.aggregation?.centralEpsilon ?? 0)
  );
}

/**
 * Whether a device adds local noise under `config`: always for plain reports (no aggregation
 * block); under an aggregation block only when the block's `localNoise` is true (central noise is
 * in force, so local noise is off by default).
 */
export function localNoiseApplies(config: {
  aggregation?: { localNoise?: boolean | undefined } | undefined;
}): boolean {
  return config.aggregation === undefined || config.aggregation.localNoise === true;
}

/**
 * The ε one epoch actually spends on a device, which its ledger charges: the local ε only when
 * local noise applies (`localNoiseApplies`), plus the central ε of an aggregation block. At most
 * `epochEpsilonCents`, the bound a config is checked against (which counts the local ε it declares
 * whether or not devices apply it), so a device never spends more than its config was allowed.
 */
export function deviceEpochEpsilonCents(
  config: Omit<EpsilonSource, 'epochSeconds'> & {
    aggregation?: { centralEpsilon: number; localNoise?: boolean | undefined } | undefined;
  },
): number {
  const local = localNoiseApplies(config) ? epsilonCents(config.privacy.epsilon) : 0;
  return local + epsilonCents(config.aggregation?.centralEpsilon ?? 0);
}

/**
 * The ε a config can spend in one day: per-epoch ε × epochs per day, counting at least one epoch
 * (a report of a multi-day epoch still falls on one day).
 */
export function dailyEpsilonCents<C extends EpsilonSource>(
  config: C,
  perEpoch: (config: C) => number = epochEpsilonCents,
) {
  const epochsPerDay = Math.max(1, DAY_SECONDS / config.epochSeconds);
  return Math.round(perEpoch(config) * epochsPerDay);
}

/** What a device spends in one day under `config` (`deviceEpochEpsilonCents` per epoch). */
export function deviceDailyEpsilonCents(
  config: EpsilonSource & Parameters<typeof deviceEpochEpsilonCents>[0],
): number {
  return dailyEpsilonCents(config, deviceEpochEpsilonCents);
}

const format = (cents: number) => String(cents / 100);

/** Throws `CrowdsellError` with a stable code when a config does not fit `limits`. */
export function checkPrivacyLimits(
  config: EpsilonSource & { privacy: { kThreshold: number } },
  limits: PrivacyLimits,
): void {
  if (config.epochSeconds < limits.minEpochSeconds) {
    throw new CrowdsellError(
      'CONFIG_EPOCH_TOO_SHORT',
      `Epochs of ${config.epochSeconds} seconds are shorter than the minimum of ${limits.minEpochSeconds} seconds.`,
    );
  }
  if (config.privacy.kThreshold < limits.minKThreshold) {
    throw new CrowdsellError(
      'CONFIG_K_TOO_SMALL',
      `A k-threshold of ${config.privacy.kThreshold} is below the minimum of ${limits.minKThreshold} members.`,
    );
  }
  const daily = dailyEpsilonCents(config);
  if (limits.maxDailyEpsilon !== null && daily > epsilonCents(limits.maxDailyEpsilon)) {
    throw new CrowdsellError(
      'CONFIG_EPSILON_BUDGET',
      `ε ${format(epochEpsilonCents(config))} per ${config.epochSeconds}-second epoch${config.aggregation ? ` (${config.privacy.epsilon} local + ${config.aggregation.centralEpsilon} central)` : ''} spends ${format(daily)} in a day, above the cap of ${limits.maxDailyEpsilon}.`,
    );
  }
}

/** One closed epoch's spend, as the device keeps it (`state` store, key `privacy-budget`). */
export interface BudgetEntry {
  epochStart: number;
  /** When the epoch ended (seconds): its spend counts from then on. */
  epochEnd: number;
  epsilonCents: number;
}

export interface BudgetLedger {
  entries: BudgetEntry[];
}

export const emptyLedger = (): BudgetLedger => ({ entries: [] });

/** ε (hundredths) of the epochs that ended in (`toSeconds` − `days` days, `toSeconds`]. */
export function spentCents(ledger: BudgetLedger, toSeconds: number, days: number): number {
  const from = toSeconds - days * DAY_SECONDS;
  let sum = 0;
  for (const e of ledger.entries)
    if (e.epochEnd > from && e.epochEnd <= toSeconds) sum += e.epsilonCents;
  return sum;
}

export type BudgetVerdict = { ok: true } | { ok: false; window: 'day' | '30 days'; cap: number };

/** Whether reporting `entry` keeps every window ending at its epoch end within `limits`. */
export function budgetAllows(
  ledger: BudgetLedger,
  entry: BudgetEntry,
  limits: PrivacyLimits,
): BudgetVerdict {
  if (ledger.entries.some((e) => e.epochStart === entry.epochStart)) return { ok: true };
  const checks = [
    [limits.maxDailyEpsilon, 1, 'day'],
    [limits.max30DayEpsilon, BUDGET_WINDOW_DAYS, '30 days'],
  ] as const;
  for (const [cap, days, window] of checks) {
    if (cap === null) continue;
    if (spentCents(ledger, entry.epochEnd, days) + entry.epsilonCents > epsilonCents(cap)) {
      return { ok: false, window, cap };
    }
  }
  return { ok: true };
}

/** The ledger with `entry` added (once per epoch) and entries older than the window dropped. */
export function chargeLedger(ledger: BudgetLedger, entry: BudgetEntry): BudgetLedger {
  const known = ledger.entries.some((e) => e.epochStart === entry.epochStart);
  const entries = known ? ledger.entries : [...ledger.entries, entry];
  const latest = Math.max(...entries.map((e) => e.epochEnd));
  const horizon = latest - BUDGET_WINDOW_DAYS * DAY_SECONDS;
  return { entries: entries.filter((e) => e.epochEnd > horizon) };
}

export interface BudgetSummary {
  kind: PrivacyLimits['kind'];
  day: { spent: number; cap: number | null };
  days30: { spent: number; cap: number | null };
}

/** What the popup shows: ε spent in the last 24 hours and 30 days, against the caps. */
export function budgetSummary(
  ledger: BudgetLedger,
  nowSeconds: number,
  limits: PrivacyLimits,
): BudgetSummary {
  return {
    kind: limits.kind,
    day: { spent: spentCents(ledger, nowSeconds, 1) / 100, cap: limits.maxDailyEpsilon },
    days30: {
      spent: spentCents(ledger, nowSeconds, BUDGET_WINDOW_DAYS) / 100,
      cap: limits.max30DayEpsilon,
    },
  };
}
