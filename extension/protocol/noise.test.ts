import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { noisyCount, sampleDiscreteLaplace } from './noise.ts';
import { seededRandom } from './noise-seeded-random.ts';
import { discreteLaplaceVariance, noiseTail, noisyValueRange } from './privacy.ts';

/**
 * Statistical checks use a fixed seed, so they are deterministic; the tolerances are still set so
 * that a correct sampler would pass for almost any seed (failure probability ≤ ~1e-6 per check),
 * which keeps the tests meaningful: a wrong sampler fails them by a wide margin.
 */

/** Exact pmf of DLap(α) conditioned on |Z| ≤ tail, on −tail … tail. */
function truncatedPmf(alpha: number, tail: number): Map<number, number> {
  let norm = 0;
  for (let z = -tail; z <= tail; z++) norm += alpha ** Math.abs(z);
  const pmf = new Map<number, number>();
  for (let z = -tail; z <= tail; z++) pmf.set(z, alpha ** Math.abs(z) / norm);
  return pmf;
}

function moments(pmf: Map<number, number>): { variance: number; fourth: number } {
  let variance = 0;
  let fourth = 0;
  for (const [z, p] of pmf) {
    variance += p * z * z;
    fourth += p * z ** 4;
  }
  return { variance, fourth };
}

function draw(n: number, sample: () => number): number[] {
  return Array.from({ length: n }, sample);
}

function meanAndVariance(xs: readonly number[]): { mean: number; variance: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
  return { mean, variance };
}

/** Upper quantile of χ²(df) at standard-normal quantile z (Wilson–Hilferty approximation). */
function chiSquareCritical(df: number, z: number): number {
  const a = 2 / (9 * df);
  return df * (1 - a + z * Math.sqrt(a)) ** 3;
}
const Z_ONE_IN_A_MILLION = 4.753; // P(N(0,1) > z) ≈ 1e-6

/** Pearson χ² of `samples` against `pmf`, pooling values whose expected count is below 20. */
function chiSquare(
  samples: readonly number[],
  pmf: Map<number, number>,
): { stat: number; df: number } {
  const observed = new Map<number, number>();
  for (const z of samples) observed.set(z, (observed.get(z) ?? 0) + 1);
  let stat = 0;
  let bins = 0;
  let pooledExpected = 0;
  let pooledObserved = 0;
  for (const [z, p] of pmf) {
    const expected = p * samples.length;
    if (expected < 20) {
      pooledExpected += expected;
      pooledObserved += observed.get(z) ?? 0;
      continue;
    }
    stat += ((observed.get(z) ?? 0) - expected) ** 2 / expected;
    bins++;
  }
  if (pooledExpected > 0) {
    stat += (pooledObserved - pooledExpected) ** 2 / pooledExpected;
    bins++;
  }
  return { stat, df: bins - 1 };
}

describe('sampleDiscreteLaplace', () => {
  it('returns the difference of two geometric draws obtained by inversion', () => {
    // α = 0.5: u = 1 − 0.9 = 0.1 gives ⌊ln 0.1 / ln 0.5⌋ = 3; u = 1 gives 0.
    const stream = [0.9, 0];
    const random = () => stream.shift() ?? 0;
    expect(sampleDiscreteLaplace(0.5, 10, random)).toBe(3);
  });

  it('redraws the pair while the difference lies beyond the tail', () => {
    const stream = [0.9, 0, 0.6, 0.6];
    const random = () => stream.shift() ?? 0;
    expect(sampleDiscreteLaplace(0.5, 2, random)).toBe(0);
    expect(stream).toHaveLength(0);
  });

  it('adds no noise when α is 0 and refuses α of 1 or more or a fractional tail', () => {
    expect(sampleDiscreteLaplace(0, 0, Math.random)).toBe(0);
    expect(() => sampleDiscreteLaplace(1, 5, Math.random)).toThrow(RangeError);
    expect(() => sampleDiscreteLaplace(0.5, 2.5, Math.random)).toThrow(RangeError);
  });

  describe('with a small α (0.5), 200 000 seeded draws', () => {
    const alpha = 0.5;
    const tail = noiseTail(alpha);
    const random = seededRandom(20_240_501);
    const samples = draw(200_000, () => sampleDiscreteLaplace(alpha, tail, random));
    const pmf = truncatedPmf(alpha, tail);
    const exact = moments(pmf);

    it('has mean zero within five standard errors', () => {
      const { mean } = meanAndVariance(samples);
      expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(exact.variance / samples.length));
    });

    it('has the variance privacy.ts promises the union, within five standard errors', () => {
      // Truncation lowers the variance by a relative ~2e-7, so the union's figure is conservative.
      const promised = discreteLaplaceVariance(alpha);
      expect(exact.variance).toBeLessThanOrEqual(promised);
      expect(1 - exact.variance / promised).toBeLessThan(1e-6);
      const { variance } = meanAndVariance(samples);
      const se = Math.sqrt((exact.fourth - exact.variance ** 2) / samples.length);
      expect(Math.abs(variance - promised)).toBeLessThan(5 * se);
    });

    it('is symmetric: as many positive as negative draws, within five binomial sigmas', () => {
      const positive = samples.filter((z) => z > 0).length;
      const negative = samples.filter((z) => z < 0).length;
      expect(Math.abs(positive - negative)).toBeLessThan(5 * Math.sqrt(positive + negative));
    });

    it('fits the exact pmf by a chi-square test at the one-in-a-million level', () => {
      const { stat, df } = chiSquare(samples, pmf);
      expect(df).toBeGreaterThan(10);
      expect(stat).toBeLessThan(chiSquareCritical(df, Z_ONE_IN_A_MILLION));
    });
  });

  it('never goes beyond the tail and then follows the truncated pmf (α 0.9, tail 3)', () => {
    const random = seededRandom(7);
    const samples = draw(40_000, () => sampleDiscreteLaplace(0.9, 3, random));
    expect(Math.max(...samples.map(Math.abs))).toBe(3);
    const { stat, df } = chiSquare(samples, truncatedPmf(0.9, 3));
    expect(df).toBe(6);
    expect(stat).toBeLessThan(chiSquareCritical(df, Z_ONE_IN_A_MILLION));
  });

  it('matches the discrete-Laplace CDF at the default parameters (DKW bound, δ = 1e-6)', () => {
    // ε = 2, 3 categories, maxVisits = 50: α = exp(−1/150) ≈ 0.9934, sd ≈ 212.
    const { alpha, tail } = noisyValueRange({ epsilon: 2 }, 50, 3);
    const random = seededRandom(99);
    const samples = draw(50_000, () => sampleDiscreteLaplace(alpha, tail, random)).sort(
      (a, b) => a - b,
    );
    const cdf = (z: number) =>
      z >= 0 ? 1 - alpha ** (z + 1) / (1 + alpha) : alpha ** -z / (1 + alpha);
    let worst = 0;
    for (let i = 0; i < samples.length; i++) {
      const z = samples[i]!;
      if (i + 1 < samples.length && samples[i + 1] === z) continue; // last index of a tie
      worst = Math.max(worst, Math.abs((i + 1) / samples.length - cdf(z)));
    }
    const dkw = Math.sqrt(Math.log(2 / 1e-6) / (2 * samples.length));
    expect(worst).toBeLessThan(dkw);
    const { mean, variance } = meanAndVariance(samples);
    const expected = discreteLaplaceVariance(alpha);
    expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(expected / samples.length));
    // Var of s² ≈ (μ₄ − σ⁴)/n with μ₄ ≈ 6σ⁴ for a Laplace-shaped law.
    expect(Math.abs(variance / expected - 1)).toBeLessThan(5 * Math.sqrt(5 / samples.length));
  });
});

describe('noisyCount', () => {
  it('always lands inside the range the union accepts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10, max: 100_000 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 10, max: 800 }).map((e) => e / 100),
        fc.integer({ min: 1, max: 256 }),
        fc.integer(),
        (value, bound, epsilon, categories, seed) => {
          const { min, max } = noisyValueRange({ epsilon }, bound, categories);
          const noisy = noisyCount(value, bound, epsilon, categories, seededRandom(seed));
          return Number.isInteger(noisy) && noisy >= min && noisy <= max;
        },
      ),
      { seed: 8, numRuns: 300 },
    );
  });

  it('clips to [0, bound] before adding noise, so the noisy mean is the clipped value', () => {
    const random = seededRandom(3);
    const n = 20_000;
    const sd = Math.sqrt(discreteLaplaceVariance(noisyValueRange({ epsilon: 2 }, 50, 1).alpha));
    const meanOf = (value: number) =>
      draw(n, () => noisyCount(value, 50, 2, 1, random)).reduce((s, x) => s + x, 0) / n;
    expect(Math.abs(meanOf(10_000) - 50)).toBeLessThan((5 * sd) / Math.sqrt(n));
    expect(Math.abs(meanOf(-7) - 0)).toBeLessThan((5 * sd) / Math.sqrt(n));
    expect(Math.abs(meanOf(20) - 20)).toBeLessThan((5 * sd) / Math.sqrt(n));
  });

  it('refuses a fractional count or bound instead of emitting a non-integer', () => {
    expect(() => noisyCount(1.5, 50, 2, 1, Math.random)).toThrow(RangeError);
    expect(() => noisyCount(1, 0, 2, 1, Math.random)).toThrow(RangeError);
  });
});
