/**
 * How published numbers are rounded. Estimates carry noise with a standard error of at least a
 * few units, so two decimals lose nothing and keep files small. Member counts are coarsened
 * (`publishedCount`): an exact count, set beside another figure over almost the same members,
 * would tell who is in a cell (docs/datasheet.md, "Member counts").
 */

/** Rounds half away from zero to `decimals` places; never returns −0. */
export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const rounded = (Math.sign(value) * Math.round(Math.abs(value) * factor)) / factor;
  return rounded + 0;
}

/** Rounds to `digits` significant digits (for the coarser public sample); never returns −0. */
export function roundSignificant(value: number, digits: number): number {
  if (value === 0 || !Number.isFinite(value)) return value + 0;
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = digits - 1 - magnitude;
  if (decimals >= 0) return roundTo(value, decimals);
  const factor = 10 ** -decimals;
  return Math.sign(value) * Math.round(Math.abs(value) / factor) * factor + 0;
}

/** Digits kept for estimates, standard errors and interval bounds. */
export const ESTIMATE_DECIMALS = 2;
/** Digits kept for shares (fractions of members). */
export const SHARE_DECIMALS = 4;

/** Member counts are published as multiples of this, or of k when k is smaller (development). */
export const COUNT_STEP = 10;

/** A member count as published, with the largest true count it can stand for. */
export interface RoundedCount {
  readonly value: number;
  readonly max: number;
}

/**
 * The published form of a member count `n` of a cell that met `kThreshold`: `n` rounded to the
 * nearest multiple of min(COUNT_STEP, k) (halves up), never below k (a published cell promises
 * at least k). Monotone in `n`, so a subset never shows more members than its superset.
 * (docs/datasheet.md, "Member counts").
 */
export function publishedCount(n: number, kThreshold: number): RoundedCount {
  const step = Math.max(1, Math.min(COUNT_STEP, kThreshold));
  const nearest = Math.floor(n / step + 0.5) * step;
  const value = Math.max(kThreshold, nearest);
  // Every n that rounds to `nearest` is below nearest + step / 2, and n < k + step / 2 when the
  // floor at k applied: either way below value + step / 2.
  return { value, max: Math.ceil(value + step / 2) - 1 };
}
