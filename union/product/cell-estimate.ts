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
 * - SE(T̂) = √(Σ vᵢ): exact, from the known mechanism, not estimated from the data. It is the
 *   noise-only standard error, conditional on who contributed: the contributors are not a random
 *   sample of any population (see the datasheet's known biases), so there is no sampling error to
 *   add for the quantity published.
 * - 95 % CI: T̂ ± 1.96·SE (T̂ is a sum of ≥ k independent noise terms, close to normal), then
 *   intersected with [0, n·clip], where T must lie; this never removes the true value.
 * - Mean: T̂ / n with SE / n and the interval divided by n (n is known exactly).
 */
import { discreteLaplaceVariance, noisyValueRange } from '../../extension/protocol/privacy.ts';
import { ESTIMATE_DECIMALS, roundTo } from './rounding.ts';
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

/** Total and mean of one measure over `values` (one per contributor, all clipped at `clip`). */
export function estimateMeasure(values: readonly NoisyValue[], clip: number): MeasureEstimate {
  const n = values.length;
  if (n === 0) throw new RangeError('a cell estimate needs at least one contributor');
  // Integers: the sum is exact in any order. Variances are summed in a fixed (sorted) order so the
  // result does not depend on the order reports arrived in.
  const total = values.reduce((sum, v) => sum + v.value, 0);
  const variance = values
    .map((v) => v.noiseVariance)
    .sort((a, b) => a - b)
    .reduce((sum, v) => sum + v, 0);
  const se = Math.sqrt(variance);
  const low = clamp(total - Z_95 * se, 0, n * clip);
  const high = clamp(total + Z_95 * se, 0, n * clip);
  return {
    clip,
    total: rounded(total, se, low, high),
    mean: rounded(total / n, se / n, low / n, high / n),
  };
}
