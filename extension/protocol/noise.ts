/**
 * The local-differential-privacy noise sampler: the one implementation of the mechanism described
 * in `privacy.ts`, used by the extension to noise a report and by the union to simulate members.
 *
 * Mechanism, per reported value: clip the true count to [0, bound], then add Z drawn from the
 * discrete Laplace (two-sided geometric) distribution
 *
 *     P(Z = z) ∝ α^|z|,   α = exp(−ε_value / bound),   ε_value = ε / (2 · categories in report),
 *
 * conditioned on |Z| ≤ tail (`noiseTail(α)`, where the untruncated tail mass is ≤ 1e-9). The
 * truncation is symmetric, so E[Z] = 0 and the union's sums stay unbiased; Var[Z] is at most
 * `discreteLaplaceVariance(α)`: truncation lowers the variance by a relative < 1e-6, so the
 * union's standard errors, which use the untruncated figure, are (negligibly) conservative.
 *
 * Sampling is exact in distribution up to the resolution of `random`: Z = G₁ − G₂ with G₁, G₂
 * i.i.d. geometric, P(G = k) = (1 − α)·α^k, each drawn by inversion (G = ⌊ln U / ln α⌋ with
 * U uniform on (0, 1], because P(⌊ln U / ln α⌋ ≥ k) = P(U ≤ α^k) = α^k), and the pair is redrawn
 * while |Z| > tail (rejection = exact conditioning). Only integers are sampled and added, so the
 * floating-point weakness of continuous Laplace noise (Mironov 2012: the low bits of a rounded
 * real-valued sample reveal the input) does not arise: the output is the true value shifted by an
 * integer whose distribution does not depend on it. `random` must be a CSPRNG with 53-bit
 * resolution in the extension (e.g. `cryptoRandom` in `extension/aggregator`); tests and
 * simulations pass a seeded generator instead.
 */
import { noisyValueRange } from './privacy.ts';

/** A uniform draw from [0, 1), like `Math.random`. */
export type UniformRandom = () => number;

/** One geometric draw, P(G = k) = (1 − α)·α^k for k = 0, 1, 2, … (inversion; `logAlpha` < 0). */
function sampleGeometric(logAlpha: number, random: UniformRandom): number {
  const u = 1 - random(); // (0, 1]: ln u is finite
  return Math.floor(Math.log(u) / logAlpha);
}

/**
 * One draw of discrete-Laplace noise with parameter `alpha`, truncated to [−tail, tail].
 * `alpha` ≤ 0 means no noise (infinite ε) and returns 0; `alpha` must be < 1.
 */
export function sampleDiscreteLaplace(alpha: number, tail: number, random: UniformRandom): number {
  if (!(alpha < 1)) throw new RangeError(`discrete-Laplace α must be below 1, got ${alpha}`);
  if (!Number.isInteger(tail) || tail < 0) {
    throw new RangeError(`the noise tail must be a non-negative integer, got ${tail}`);
  }
  if (alpha <= 0) return 0;
  const logAlpha = Math.log(alpha);
  for (;;) {
    const z = sampleGeometric(logAlpha, random) - sampleGeometric(logAlpha, random);
    if (Math.abs(z) <= tail) return z + 0; // `+ 0` turns −0 into 0
  }
}

/**
 * The value a report carries for one count: `trueValue` clipped to [0, bound], plus noise for a
 * report with `categoryCount` categories under the per-epoch budget `epsilon`. The result always
 * lies in `noisyValueRange(...)`, which is exactly what the union accepts.
 */
export function noisyCount(
  trueValue: number,
  bound: number,
  epsilon: number,
  categoryCount: number,
  random: UniformRandom,
): number {
  if (!Number.isInteger(trueValue)) {
    throw new RangeError(`a count must be a whole number, got ${trueValue}`);
  }
  if (!Number.isInteger(bound) || bound < 1) {
    throw new RangeError(`a clip bound must be a positive whole number, got ${bound}`);
  }
  const clipped = Math.min(bound, Math.max(0, trueValue));
  const { alpha, tail } = noisyValueRange({ epsilon }, bound, categoryCount);
  return clipped + sampleDiscreteLaplace(alpha, tail, random);
}
