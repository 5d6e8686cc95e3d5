/**
 * How published numbers are rounded. Estimates carry noise with a standard error of at least a
 * few units, so two decimals lose nothing, keep files small, and make revisions compare on what
 * a researcher sees rather than on floating-point dust.
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
