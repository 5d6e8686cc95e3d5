/**
 * The exact discrete Gaussian sampler (CKS 2020) and its parts, at fixed seeds (deterministic):
 * the draws fit the exact pmfs by χ² at a one-in-a-million level, and the same tests reject a
 * sampler whose σ is 20 % off, so they can fail.
 */
import { describe, expect, it } from 'vitest';
import {
  centredEdges,
  chiSquareBinned,
  chiSquareCritical,
  Z_ONE_IN_A_MILLION,
} from './noise-chi-square.ts';
import {
  bernoulliExpNeg,
  discreteGaussianDraw,
  discreteGaussianNormaliser,
  discreteGaussianVariance,
  floorSqrt,
  sampleDiscreteGaussian,
  sampleDiscreteLaplaceExact,
  uniformBelow,
} from './noise-discrete-gaussian.ts';
import { seededRandom } from './noise-seeded-random.ts';

const N = 40_000;

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: readonly number[]) => {
  const m = mean(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
};

/** Exact pmf of N_Z(0, σ²) (floating point, for the test's expected counts). */
function gaussianPmf(sigma2: number): (z: number) => number {
  const norm = discreteGaussianNormaliser(sigma2);
  return (z) => Math.exp((-z * z) / (2 * sigma2)) / norm;
}

/** χ² of draws against N_Z(0, σ²): bins of width max(1, σ / 3) out to about ±2.5σ, then open. */
function gaussianFit(draws: readonly number[], sigma2: number) {
  const sigma = Math.sqrt(sigma2);
  const width = Math.max(1, sigma / 3);
  const edges = centredEdges(2 * Math.floor((2.5 * sigma) / width) + 1, width);
  const reach = Math.ceil(12 * sigma) + 10;
  return chiSquareBinned(draws, gaussianPmf(sigma2), edges, { from: -reach, to: reach });
}

describe('uniform integers and Bernoulli draws', () => {
  it('uniformBelow stays in range and is uniform on a small range (χ²)', () => {
    const random = seededRandom(1);
    const draws = Array.from({ length: 60_000 }, () => Number(uniformBelow(6n, random)));
    expect(Math.min(...draws)).toBe(0);
    expect(Math.max(...draws)).toBe(5);
    const fit = chiSquareBinned(draws, () => 1 / 6, [1, 2, 3, 4, 5], { from: 0, to: 5 });
    expect(fit.stat).toBeLessThan(chiSquareCritical(fit.df, Z_ONE_IN_A_MILLION));
  });

  it('uniformBelow reaches beyond 53 bits: a range of 2^60 + 3 gets values above 2^59', () => {
    const random = seededRandom(2);
    const n = 2n ** 60n + 3n;
    const draws = Array.from({ length: 200 }, () => uniformBelow(n, random));
    expect(draws.every((x) => x >= 0n && x < n)).toBe(true);
    expect(draws.filter((x) => x >= 2n ** 59n).length).toBeGreaterThan(60);
  });

  it('refuses a source that does not give multiples of 2^−53, and an empty range', () => {
    expect(() => uniformBelow(10n, () => 0.1)).toThrow(/2\^−53/);
    expect(() => uniformBelow(0n, seededRandom(3))).toThrow(RangeError);
  });

  it.each([
    [1, 3],
    [1, 1],
    [5, 2],
    [0, 7],
  ])('Bernoulli(exp(−%i/%i)) comes up with that probability', (num, den) => {
    const random = seededRandom(4);
    const p = Math.exp(-num / den);
    const draw = () => bernoulliExpNeg(BigInt(num), BigInt(den), random);
    const hits = Array.from({ length: N }, draw).filter(Boolean).length;
    expect(Math.abs(hits / N - p)).toBeLessThanOrEqual(5 * Math.sqrt((p * (1 - p)) / N) + 1e-12);
  });

  it('floorSqrt is ⌊√n⌋, beyond double precision too', () => {
    for (const n of [0n, 1n, 2n, 3n, 4n, 15n, 16n, 17n, 99n, 100n]) {
      expect(floorSqrt(n)).toBe(BigInt(Math.floor(Math.sqrt(Number(n)))));
    }
    const big = 10n ** 30n + 12345n;
    const r = floorSqrt(big);
    expect(r * r <= big && (r + 1n) * (r + 1n) > big).toBe(true);
  });
});

describe('exact discrete Laplace (the proposal)', () => {
  it('fits P(y) ∝ exp(−|y| / t) at t = 5 (χ²)', () => {
    const random = seededRandom(5);
    const t = 5;
    const draws = Array.from({ length: N }, () => Number(sampleDiscreteLaplaceExact(5n, random)));
    const norm = (1 - Math.exp(-1 / t)) / (1 + Math.exp(-1 / t));
    const fit = chiSquareBinned(
      draws,
      (z) => norm * Math.exp(-Math.abs(z) / t),
      centredEdges(19, 2),
      { from: -400, to: 400 },
    );
    expect(fit.smallestExpected).toBeGreaterThan(5);
    expect(fit.stat).toBeLessThan(chiSquareCritical(fit.df, Z_ONE_IN_A_MILLION));
  });
});

describe('exact discrete Gaussian', () => {
  it.each([
    ['an integer σ² = 3,600 (σ = 60)', 3_600n, 1n],
    ['a fractional σ² = 10/3', 10n, 3n],
    ['a calibration-sized σ² = 1,336,250.5', 2_672_501n, 2n],
  ])('draws with %s fit the exact pmf (χ²), with mean 0 and variance σ²', (_name, num, den) => {
    const sigma2 = Number(num) / Number(den);
    const random = seededRandom(6);
    const draws = Array.from({ length: N }, () => discreteGaussianDraw({ num, den }, random));
    const fit = gaussianFit(draws, sigma2);
    expect(fit.smallestExpected).toBeGreaterThan(5);
    expect(fit.stat).toBeLessThan(chiSquareCritical(fit.df, Z_ONE_IN_A_MILLION));
    const exactVariance = discreteGaussianVariance(sigma2);
    expect(Math.abs(mean(draws))).toBeLessThan(5 * Math.sqrt(exactVariance / N));
    expect(Math.abs(variance(draws) / exactVariance - 1)).toBeLessThan(5 * Math.sqrt(2 / N));
  });

  it('the same χ² rejects draws whose σ is 20 % larger or smaller: the test can fail', () => {
    const sigma2 = 3_600;
    for (const [num, seed] of [
      [5_184n, 7], // (1.2 · 60)²
      [2_304n, 8], // (0.8 · 60)²
    ] as const) {
      const random = seededRandom(seed);
      const draws = Array.from({ length: N }, () => discreteGaussianDraw({ num, den: 1n }, random));
      const fit = gaussianFit(draws, sigma2);
      expect(fit.stat).toBeGreaterThan(chiSquareCritical(fit.df, Z_ONE_IN_A_MILLION));
    }
  });

  it('its variance is σ² to 10⁻⁶ once σ ≥ 1, and below σ² (the figure a calibration may declare)', () => {
    for (const sigma2 of [1, 10 / 3, 3_600, 1e6]) {
      const v = discreteGaussianVariance(sigma2);
      expect(v).toBeLessThanOrEqual(sigma2 * (1 + 1e-12)); // below σ², up to rounding
      expect(1 - v / sigma2).toBeLessThan(1e-6);
    }
  });

  it('refuses σ² that is not a positive rational', () => {
    expect(() => sampleDiscreteGaussian({ num: 0n, den: 1n }, seededRandom(9))).toThrow(RangeError);
    expect(() => sampleDiscreteGaussian({ num: 1n, den: 0n }, seededRandom(9))).toThrow(RangeError);
  });
});
