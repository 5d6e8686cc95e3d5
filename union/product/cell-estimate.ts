/**
 * The de-biased estimator of one cell measure (DESIGN §6; docs/datasheet.md, "Preprocessing").
 *
 * Each contributor i reports yᵢ = xᵢ + Zᵢ, where xᵢ is the clipped true count and Zᵢ independent,
 * zero-mean discrete-Laplace noise whose variance vᵢ depends on that report's ε, clip bound and
 * number of categories. The estimand is the cell's realised clipped total T = Σ xᵢ over its n
 * contributors, and its mean T / n.
 *
 * - T̂ = Σ yᵢ is unbiased for any mix of ε and category counts (every Zᵢ has mean zero), so no
 *   weighting is needed; inverse-variance weighting would estimate a different quantity.
 * - SE: the exact noise-only standard error is √(Σ vᵢ), conditional on who contributed (the
 *   contributors are not a random sample of any population, see the datasheet's known biases, so
 *   there is no sampling error to add). Published exactly it would give away the exact number of
 *   contributors (n = SE² / v when every report has the same variance v), so it is published for
 *   the published count ñ (`publishedCount`): SE = √(ñ · v̄), with v̄ = Σ vᵢ / n the cell's mean
 *   noise variance per report. |SE / √(Σ vᵢ) − 1| ≤ √(1 + 5/n) − 1, under 5 % for n ≥ 50.
 * - 95 % CI: T̂ ± 1.96·SE (T̂ is a sum of ≥ k independent noise terms, close to normal), then
 *   intersected with [0, n_max·clip], where n_max is the largest n that rounds to ñ.
 * - Mean: T̂ / ñ with SE / ñ and the interval divided by ñ — the published count, so the mean
 *   reveals no more about n than the count does. Its relative error from rounding is at most
 *   5/ñ (10 % at ñ = 50, 1 % at ñ = 500).
 */
import { discreteLaplaceVariance, noisyValueRange } from '../../extension/protocol/privacy.ts';
import { ESTIMATE_DECIMALS, roundTo, type RoundedCount } from './rounding.ts';
import type { Estimate, MeasureEstimate } from './types.ts';

/** Two-sided 95 % standard-normal quantile. */
export const Z_95 = 1.959963984540054;

/** One contributor's reported value and the variance of the noise it carries. */
export interface NoisyValue {
  readonly value: number;
  readonly noiseVariance: number;
}

/** Variance of the noise on one value of a report with `categoryCount` categories. */
export function noiseVariance(epsilon: number, bound: number, categoryCount: number): number {
  return discreteLaplaceVariance(noisyValueRange({ epsilon }, bound, categoryCount).alpha);
}

function rounded(value: number, se: number, low: number, high: number): Estimate {
  return {
    value: roundTo(value, ESTIMATE_DECIMALS),
    se: roundTo(se, ESTIMATE_DECIMALS),
    ciLow: roundTo(low, ESTIMATE_DECIMALS),
    ciHigh: roundTo(high, ESTIMATE_DECIMALS),
  };
}

const clamp = (x: number, low: number, high: number) => Math.min(high, Math.max(low, x));

/**
 * Total and mean of one measure over `values` (one per contributor, all clipped at `clip`),
 * stated for `contributors`, the cell's published (rounded) contributor count.
 */
export function estimateMeasure(
  values: readonly NoisyValue[],
  clip: number,
  contributors: RoundedCount,
): MeasureEstimate {
  const n = values.length;
  const shown = contributors.value;
  if (n === 0 || shown <= 0) throw new RangeError('a cell estimate needs at least one contributor');
  // Integers: the sum is exact in any order. Variances are summed in a fixed (sorted) order so the
  // result does not depend on the order reports arrived in.
  const total = values.reduce((sum, v) => sum + v.value, 0);
  const variance = values
    .map((v) => v.noiseVariance)
    .sort((a, b) => a - b)
    .reduce((sum, v) => sum + v, 0);
  const se = Math.sqrt((shown * variance) / n);
  return measureFromTotal(total, se, clip, contributors);
}

/**
 * A measure's published figures from its noisy total and standard error: the 95 % interval
 * T̂ ± 1.96·SE within [0, max·clip] (no more than `contributors.max` members can have contributed),
 * and the mean per published contributor. Shared by both modes (plain reports and the
 * aggregators' release, dap-epoch.ts).
 */
export function measureFromTotal(
  total: number,
  se: number,
  clip: number,
  contributors: RoundedCount,
): MeasureEstimate {
  const shown = contributors.value;
  if (shown <= 0) throw new RangeError('a cell estimate needs at least one contributor');
  const ceiling = contributors.max * clip;
  const low = clamp(total - Z_95 * se, 0, ceiling);
  const high = clamp(total + Z_95 * se, 0, ceiling);
  return {
    clip,
    total: rounded(total, se, low, high),
    mean: rounded(total / shown, se / shown, low / shown, high / shown),
  };
}
