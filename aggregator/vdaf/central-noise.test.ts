/**
 * Central noise (pure): the calibration meets the declared ε from one aggregator alone, the draws
 * follow the declared discrete-Laplace distribution (χ² goodness of fit, mean and variance at a
 * fixed seed, so the test is deterministic), two aggregators' noise adds up to twice the
 * variance, and negative noise goes through the field as p − |n| and comes back signed.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../extension/protocol/noise-seeded-random.ts';
import {
  addCentralNoise,
  centralNoiseFor,
  drawCentralNoise,
  NO_NOISE,
  noisyShare,
  shareNoiseFor,
} from './central-noise.ts';
import { fromField, toField, unshardSigned } from './signed-field.ts';
import { sumVecFor } from './task.ts';

const N = 20_000;
/** χ² 0.999 quantile for 17 degrees of freedom (18 bins, no fitted parameter). */
const CHI2_17_999 = 40.79;

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: readonly number[]) => {
  const m = mean(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
};

/** P(Z = z) for untruncated DLap(α) (the 10⁻⁹ truncation is below this test's resolution). */
const pmf = (alpha: number, z: number) => ((1 - alpha) / (1 + alpha)) * alpha ** Math.abs(z);

describe('central noise calibration', () => {
  it('one aggregator alone meets ε: one report moving every entry by 2^bits − 1 changes any output probability by at most e^ε', () => {
    const noise = centralNoiseFor(2, { length: 60, bits: 8 });
    expect(noise.sensitivity).toBe(255);
    expect(noise.epsilonPerEntry).toBeCloseTo(2 / 60, 12);
    // DLap(α): P(z) / P(z + Δ) ≤ α^−Δ per entry; over the 60 entries of one report the losses add.
    const lossPerEntry = -Math.log(noise.alpha) * noise.sensitivity;
    expect(lossPerEntry * 60).toBeLessThanOrEqual(2 + 1e-9);
    expect(lossPerEntry * 60).toBeGreaterThan(2 - 1e-9);
    expect(noise.variance).toBeCloseTo((2 * noise.alpha) / (1 - noise.alpha) ** 2, 6);
  });

  it('refuses an ε that is not a positive number', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => centralNoiseFor(bad, { length: 6, bits: 3 })).toThrow(RangeError);
    }
  });
});

describe('central noise draws (seeded)', () => {
  const noise = centralNoiseFor(1, { length: 6, bits: 3 }); // α = exp(−1/42), σ ≈ 59
  const draws = drawCentralNoise(noise, N, seededRandom(21));

  /** χ² of `sample` against DLap(α) over 18 bins: −∞…−120, 15-wide bins to 120, 120…∞. */
  function chi2(sample: readonly number[], alpha: number): number {
    const edges = Array.from({ length: 17 }, (_, i) => -120 + 15 * i);
    const binOf = (z: number) => edges.filter((e) => z >= e).length; // 0 … 17
    const observed = new Array<number>(18).fill(0);
    for (const z of sample) observed[binOf(z)]! += 1;
    const expected = new Array<number>(18).fill(0);
    for (let z = -noise.tail; z <= noise.tail; z++) {
      expected[binOf(z)]! += pmf(alpha, z) * sample.length;
    }
    expect(Math.min(...expected)).toBeGreaterThan(5);
    return observed.reduce((sum, o, i) => sum + (o - expected[i]!) ** 2 / expected[i]!, 0);
  }

  it('one aggregator’s noise has the declared distribution (χ² over 18 bins)', () => {
    expect(chi2(draws, noise.alpha)).toBeLessThan(CHI2_17_999);
    // The same test tells a 20 % larger ε (less noise) apart: it can fail.
    const weaker = drawCentralNoise(
      centralNoiseFor(1.2, { length: 6, bits: 3 }),
      N,
      seededRandom(23),
    );
    expect(chi2(weaker, noise.alpha)).toBeGreaterThan(CHI2_17_999);
  });

  it('one aggregator’s noise has mean 0 and the declared variance', () => {
    const sd = Math.sqrt(noise.variance);
    expect(Math.abs(mean(draws))).toBeLessThan((4 * sd) / Math.sqrt(N));
    expect(variance(draws) / noise.variance).toBeGreaterThan(0.95);
    expect(variance(draws) / noise.variance).toBeLessThan(1.05);
    expect(Math.max(...draws.map(Math.abs))).toBeLessThanOrEqual(noise.tail);
  });

  it('both aggregators’ noise on a released sum adds up to twice the variance', () => {
    const helper = drawCentralNoise(noise, N, seededRandom(22));
    const released = draws.map((z, i) => z + helper[i]!);
    expect(Math.abs(mean(released))).toBeLessThan(
      (4 * Math.sqrt(2 * noise.variance)) / Math.sqrt(N),
    );
    expect(variance(released) / (2 * noise.variance)).toBeGreaterThan(0.95);
    expect(variance(released) / (2 * noise.variance)).toBeLessThan(1.05);
  });
});

describe('noise in the field', () => {
  const vdaf = sumVecFor({
    categoryIds: [1, 2],
    visitsClip: 5,
    activeMinutesClip: 5,
    vdaf: { length: 6, bits: 3, chunkLength: 4 },
  });
  const p = vdaf.flp.field.modulus;

  it('signed integers map to p − |n| and back', () => {
    expect(toField(-3, p)).toBe(p - 3n);
    expect(toField(7, p)).toBe(7n);
    expect(fromField(p - 3n, p)).toBe(-3);
    expect(fromField(7n, p)).toBe(7);
    expect(
      unshardSigned(
        [
          [p - 5n, 4n],
          [2n, p - 9n],
        ],
        p,
      ),
    ).toEqual([-3, -5]);
  });

  it('the noisy share is the share plus exactly the seeded draws, negative ones included', () => {
    const noise = centralNoiseFor(1, vdaf);
    const share = [10n, 0n, 3n, p - 1n, 5n, 0n];
    const noisy = addCentralNoise(share, p, noise, seededRandom(5));
    const draws = drawCentralNoise(noise, 6, seededRandom(5));
    expect(draws.some((z) => z < 0)).toBe(true);
    expect(noisy.map((x, i) => fromField((x - share[i]! + p) % p, p))).toEqual(draws);
  });

  it('noise off (null ε) leaves the share as it is', () => {
    const share = [1n, 2n, 3n, 4n, 5n, 6n];
    expect(noisyShare(vdaf, share, NO_NOISE)).toEqual(share);
    expect(noisyShare(vdaf, share, shareNoiseFor(null, vdaf, seededRandom(1)))).toEqual(share);
    expect(noisyShare(vdaf, share, shareNoiseFor(1, vdaf, seededRandom(1)))).not.toEqual(share);
  });
});
