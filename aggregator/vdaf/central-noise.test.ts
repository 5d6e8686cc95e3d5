/**
 * Central noise (pure): the calibration meets the declared ε from one aggregator alone, the draws
 * follow the declared discrete-Laplace distribution (χ² goodness of fit, mean and variance at a
 * fixed seed, so the test is deterministic), two aggregators' noise adds up to twice the
 * variance, and negative noise goes through the field as p − |n| and comes back signed.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../extension/protocol/noise-seeded-random.ts';
import { sampleDiscreteLaplace } from '../../extension/protocol/noise.ts';
import { discreteLaplaceVariance } from '../../extension/protocol/privacy.ts';
import {
  addCentralNoise,
  centralNoiseFor,
  clipBoundsOf,
  drawCentralNoise,
  drawEntryNoise,
  ENTRY_KINDS,
  entryKind,
  NO_NOISE,
  noisyShare,
  shareNoiseFor,
  type EntryKind,
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

/** The default clip bounds (50 visits, 14,400 s = 240 min): an 8-bit task. */
const DEFAULT_BOUNDS = { visits: 50, activeMinutes: 240 };
/** Two categories, 3 bits, both bounds 7. */
const SMALL_BOUNDS = { visits: 7, activeMinutes: 7 };
const SMALL = { vdaf: { length: 6, bits: 3 }, clipBounds: SMALL_BOUNDS };

describe('central noise calibration', () => {
  it('calibrates each entry to the honest clip bound, not to 2^bits − 1: visits at the default bounds, 20 categories, ε = 2 have scale 50 / (2/60) = 1,500', () => {
    const noise = centralNoiseFor(2, { vdaf: { length: 60, bits: 8 }, clipBounds: DEFAULT_BOUNDS });
    expect(noise.kinds.visits.sensitivity).toBe(50);
    expect(-1 / Math.log(noise.kinds.visits.alpha)).toBeCloseTo(1_500, 6);
    expect(Math.sqrt(noise.kinds.visits.variance)).toBeLessThan(2_200);
  });

  it('scales per entry kind from the given bounds: Δ / (ε / length) for the flag (Δ = 1), visits and minutes', () => {
    const noise = centralNoiseFor(2, {
      vdaf: { length: 60, bits: 8 },
      clipBounds: DEFAULT_BOUNDS,
    });
    const scale = (kind: EntryKind) => -1 / Math.log(noise.kinds[kind].alpha);
    expect(scale('flag')).toBeCloseTo(30, 9);
    expect(scale('visits')).toBeCloseTo(1_500, 6);
    expect(scale('activeMinutes')).toBeCloseTo(7_200, 6);
    expect(noise.kinds.flag.sensitivity).toBe(1);
    expect(noise.kinds.activeMinutes.sensitivity).toBe(240);
    for (const kind of ENTRY_KINDS) {
      const e = noise.kinds[kind];
      expect(e.epsilon).toBeCloseTo(2 / 60, 12);
      expect(e.variance).toBeCloseTo(discreteLaplaceVariance(e.alpha), 6);
    }
    // Other bounds, other scales: the bounds are read, not assumed.
    const wide = centralNoiseFor(8, {
      vdaf: { length: 3, bits: 11 },
      clipBounds: { visits: 1_000, activeMinutes: 1_440 },
    });
    expect(-1 / Math.log(wide.kinds.visits.alpha)).toBeCloseTo(375, 6);
    expect(-1 / Math.log(wide.kinds.activeMinutes.alpha)).toBeCloseTo(540, 6);
  });

  it('one aggregator alone meets ε: one honest report moving every entry by its clip bound changes any output probability by at most e^ε', () => {
    const noise = centralNoiseFor(2, { vdaf: { length: 60, bits: 8 }, clipBounds: DEFAULT_BOUNDS });
    // DLap(α): P(z) / P(z + Δ) ≤ α^−Δ per entry; over the 60 entries of one report the losses add.
    const loss = Array.from({ length: 60 }, (_, i) => {
      const e = noise.kinds[entryKind(i)];
      return -Math.log(e.alpha) * e.sensitivity;
    }).reduce((a, b) => a + b, 0);
    expect(loss).toBeLessThanOrEqual(2 + 1e-9);
    expect(loss).toBeGreaterThan(2 - 1e-9);
    expect(noise.kinds.visits.variance).toBeCloseTo(
      (2 * noise.kinds.visits.alpha) / (1 - noise.kinds.visits.alpha) ** 2,
      6,
    );
  });

  it('refuses to calibrate without clip bounds: there is no fallback to 2^bits − 1', () => {
    expect(() => centralNoiseFor(2, { vdaf: { length: 60, bits: 8 }, clipBounds: null })).toThrow(
      /clip bounds/,
    );
    expect(() =>
      shareNoiseFor(
        { vdaf: { length: 60, bits: 8 }, clipBounds: null, centralEpsilon: 2 },
        seededRandom(1),
      ),
    ).toThrow(RangeError);
  });

  it('refuses bounds an honest report could not carry, and a vector that is not whole categories', () => {
    const vdaf = { length: 6, bits: 3 };
    for (const clipBounds of [
      { visits: 8, activeMinutes: 7 },
      { visits: 7, activeMinutes: 0 },
      { visits: 2.5, activeMinutes: 7 },
    ]) {
      expect(() => centralNoiseFor(1, { vdaf, clipBounds })).toThrow(RangeError);
    }
    expect(() =>
      centralNoiseFor(1, { vdaf: { length: 5, bits: 3 }, clipBounds: SMALL_BOUNDS }),
    ).toThrow(/whole categories/);
  });

  it('refuses an ε that is not a positive number', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => centralNoiseFor(bad, SMALL)).toThrow(RangeError);
    }
  });
});

describe('central noise draws (seeded)', () => {
  // Visits bound 7 over 6 entries at ε = 1: α = exp(−1/42), σ ≈ 59.
  const noise = centralNoiseFor(1, SMALL).kinds.visits;
  const draws = drawEntryNoise(noise, N, seededRandom(21));

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
    expect(noise.alpha).toBeCloseTo(Math.exp(-1 / 42), 12);
    expect(chi2(draws, noise.alpha)).toBeLessThan(CHI2_17_999);
    // The same test tells a 20 % larger ε (less noise) apart: it can fail.
    const weaker = drawEntryNoise(centralNoiseFor(1.2, SMALL).kinds.visits, N, seededRandom(23));
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
    const helper = drawEntryNoise(noise, N, seededRandom(22));
    const released = draws.map((z, i) => z + helper[i]!);
    expect(Math.abs(mean(released))).toBeLessThan(
      (4 * Math.sqrt(2 * noise.variance)) / Math.sqrt(N),
    );
    expect(variance(released) / (2 * noise.variance)).toBeGreaterThan(0.95);
    expect(variance(released) / (2 * noise.variance)).toBeLessThan(1.05);
  });

  it('a vector’s draws take each entry at its own kind’s scale, in vector order', () => {
    const calibrated = centralNoiseFor(2, {
      vdaf: { length: 60, bits: 8 },
      clipBounds: DEFAULT_BOUNDS,
    });
    const random = seededRandom(24);
    const expected = Array.from({ length: 60 }, (_, i) => {
      const e = calibrated.kinds[entryKind(i)];
      return sampleDiscreteLaplace(e.alpha, e.tail, random);
    });
    const vector = drawCentralNoise(calibrated, seededRandom(24));
    expect(vector).toEqual(expected);
    expect(new Set(ENTRY_KINDS.map((k) => calibrated.kinds[k].alpha)).size).toBe(3);
  });
});

describe('noise in the field', () => {
  const categories = {
    categoryIds: [1, 2],
    visitsClip: 5,
    activeMinutesClip: 5,
    vdaf: { length: 6, bits: 3, chunkLength: 4 },
  };
  const vdaf = sumVecFor(categories);
  const task = { vdaf, clipBounds: clipBoundsOf(categories) };
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
    const noise = centralNoiseFor(1, task);
    const share = [10n, 0n, 3n, p - 1n, 5n, 0n];
    const noisy = addCentralNoise(share, p, noise, seededRandom(5));
    const draws = drawCentralNoise(noise, seededRandom(5));
    expect(draws.some((z) => z < 0)).toBe(true);
    expect(noisy.map((x, i) => fromField((x - share[i]! + p) % p, p))).toEqual(draws);
  });

  it('noise off (null ε) leaves the share as it is', () => {
    const share = [1n, 2n, 3n, 4n, 5n, 6n];
    expect(noisyShare(vdaf, share, NO_NOISE)).toEqual(share);
    expect(
      noisyShare(vdaf, share, shareNoiseFor({ ...task, centralEpsilon: null }, seededRandom(1))),
    ).toEqual(share);
    expect(
      noisyShare(vdaf, share, shareNoiseFor({ ...task, centralEpsilon: 1 }, seededRandom(1))),
    ).not.toEqual(share);
  });
});
