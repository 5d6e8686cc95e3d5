/**
 * Central noise (pure): each calibration — discrete Laplace (ε split over the entries) and
 * discrete Gaussian (ρ-zCDP over the vector, converted to (ε, 10⁻⁹)) — meets the declared ε from
 * one aggregator alone, the task gets the one with the smaller variance, the draws follow the
 * declared distribution (χ² goodness of fit, mean and variance at a fixed seed, so the test is
 * deterministic), two aggregators' noise adds up to twice the variance, and negative noise goes
 * through the field as p − |n| and comes back signed.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../extension/protocol/noise-seeded-random.ts';
import { sampleDiscreteLaplace } from '../../extension/protocol/noise.ts';
import {
  discreteGaussianDraw,
  discreteGaussianNormaliser,
} from '../../extension/protocol/noise-discrete-gaussian.ts';
import { chiSquareBinned } from '../../extension/protocol/noise-chi-square.ts';
import { discreteLaplaceVariance } from '../../extension/protocol/privacy.ts';
import { CENTRAL_DELTA, zcdpDelta, zcdpRhoFor } from '../../extension/protocol/zcdp.ts';
import {
  addCentralNoise,
  centralNoiseFor,
  clipBoundsOf,
  describeShareNoise,
  drawCentralNoise,
  drawEntryNoise,
  ENTRY_KINDS,
  entryKind,
  NO_NOISE,
  noisyShare,
  gaussianRho,
  shareNoiseFor,
  type CentralNoise,
  type EntryKind,
  type EntryNoise,
  type GaussianEntryNoise,
  type LaplaceEntryNoise,
  type NoiseCalibrationTask,
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
/** 20 categories at the default bounds: the task the docs' tables are for. */
const TWENTY: NoiseCalibrationTask = { vdaf: { length: 60, bits: 8 }, clipBounds: DEFAULT_BOUNDS };

function laplace(entry: EntryNoise): LaplaceEntryNoise {
  if (entry.mechanism !== 'laplace')
    throw new Error(`expected Laplace noise, got ${entry.mechanism}`);
  return entry;
}
function gaussian(entry: EntryNoise): GaussianEntryNoise {
  if (entry.mechanism !== 'gaussian')
    throw new Error(`expected Gaussian noise, got ${entry.mechanism}`);
  return entry;
}
/** The Laplace calibration, narrowed per kind. */
function laplaceFor(epsilon: number, task: NoiseCalibrationTask) {
  const noise = centralNoiseFor(epsilon, task, 'laplace');
  const kinds = {
    flag: laplace(noise.kinds.flag),
    visits: laplace(noise.kinds.visits),
    activeMinutes: laplace(noise.kinds.activeMinutes),
  };
  return { ...noise, kinds };
}

describe('central noise calibration: discrete Laplace', () => {
  it('calibrates each entry to the honest clip bound, not to 2^bits − 1: visits at the default bounds, 20 categories, ε = 2 have scale 50 / (2/60) = 1,500', () => {
    const noise = laplaceFor(2, TWENTY);
    expect(noise.kinds.visits.sensitivity).toBe(50);
    expect(-1 / Math.log(noise.kinds.visits.alpha)).toBeCloseTo(1_500, 6);
    expect(Math.sqrt(noise.kinds.visits.variance)).toBeLessThan(2_200);
  });

  it('scales per entry kind from the given bounds: Δ / (ε / length) for the flag (Δ = 1), visits and minutes', () => {
    const noise = laplaceFor(2, TWENTY);
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
    const wide = laplaceFor(8, {
      vdaf: { length: 3, bits: 11 },
      clipBounds: { visits: 1_000, activeMinutes: 1_440 },
    });
    expect(-1 / Math.log(wide.kinds.visits.alpha)).toBeCloseTo(375, 6);
    expect(-1 / Math.log(wide.kinds.activeMinutes.alpha)).toBeCloseTo(540, 6);
  });

  it('one aggregator alone meets ε: one honest report moving every entry by its clip bound changes any output probability by at most e^ε', () => {
    const noise = laplaceFor(2, TWENTY);
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

describe('central noise draws (seeded): discrete Laplace', () => {
  // Visits bound 7 over 6 entries at ε = 1: α = exp(−1/42), σ ≈ 59.
  const noise = laplaceFor(1, SMALL).kinds.visits;
  const draws = drawEntryNoise(noise, N, seededRandom(21));

  /** χ² of `sample` against DLap(α) over 18 bins: −∞…−120, 15-wide bins to 120, 120…∞. */
  function chi2(sample: readonly number[], alpha: number): number {
    const edges = Array.from({ length: 17 }, (_, i) => -120 + 15 * i);
    const support = { from: -noise.tail, to: noise.tail };
    const fit = chiSquareBinned(sample, (z) => pmf(alpha, z), edges, support);
    expect(fit.smallestExpected).toBeGreaterThan(5);
    return fit.stat;
  }

  it('one aggregator’s noise has the declared distribution (χ² over 18 bins)', () => {
    expect(noise.alpha).toBeCloseTo(Math.exp(-1 / 42), 12);
    expect(chi2(draws, noise.alpha)).toBeLessThan(CHI2_17_999);
    // The same test tells a 20 % larger ε (less noise) apart: it can fail.
    const weaker = drawEntryNoise(laplaceFor(1.2, SMALL).kinds.visits, N, seededRandom(23));
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
    const calibrated = laplaceFor(2, TWENTY);
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

/** ρ of one aggregator's noise, recomputed here from the rationals the sampler is given. */
function rhoFromRationals(noise: CentralNoise): number {
  return Array.from({ length: noise.length }, (_, i) => {
    const e = gaussian(noise.kinds[entryKind(i)]);
    return (e.sensitivity ** 2 * Number(e.sigma2.den)) / (2 * Number(e.sigma2.num));
  }).reduce((a, b) => a + b, 0);
}

describe('central noise calibration: discrete Gaussian', () => {
  it.each([0.5, 2, 8])(
    'one aggregator alone meets (ε, 10⁻⁹) at ε = %s: ρ = Σ Δ_i² / (2σ_i²) over the 60 entries converts to δ ≤ 10⁻⁹, with nothing to spare',
    (epsilon) => {
      const noise = centralNoiseFor(epsilon, TWENTY, 'gaussian');
      const rho = rhoFromRationals(noise);
      expect(noise.rho).toBeCloseTo(rho, 12);
      expect(gaussianRho(noise)).toBeCloseTo(rho, 12);
      expect(noise.delta).toBe(CENTRAL_DELTA);
      expect(zcdpDelta(rho, epsilon)).toBeLessThanOrEqual(1e-9);
      // Not wastefully noisy: ρ is the whole budget up to σ²'s rounding to 10⁻⁶.
      expect(rho / zcdpRhoFor(epsilon, 1e-9)).toBeGreaterThan(1 - 1e-6);
    },
  );

  it('σ_i = Δ_i · √(length / 2ρ): at ε = 2 over 60 entries (ρ = 0.0561) 23.1 per unit of clip bound — visits 1,156, minutes 5,548', () => {
    const noise = centralNoiseFor(2, TWENTY, 'gaussian');
    const sd = (kind: EntryKind) => Math.sqrt(noise.kinds[kind].variance);
    expect(sd('flag')).toBeCloseTo(23.12, 2);
    expect(sd('visits')).toBeCloseTo(50 * sd('flag'), 2);
    expect(sd('activeMinutes')).toBeCloseTo(240 * sd('flag'), 1);
    expect(Math.round(sd('visits'))).toBe(1_156);
    for (const kind of ENTRY_KINDS) {
      const e = gaussian(noise.kinds[kind]);
      expect(e.variance).toBe(Number(e.sigma2.num) / Number(e.sigma2.den));
      // σ² is rounded up, never down: the exact figure is at most one millionth below it.
      const exact = (e.sensitivity ** 2 * 60) / (2 * zcdpRhoFor(2, 1e-9));
      expect(e.variance).toBeGreaterThanOrEqual(exact);
      expect(e.variance - exact).toBeLessThanOrEqual(1e-6 + exact * 1e-11);
    }
  });

  it('the task gets the mechanism with less noise: Gaussian for 20 categories, Laplace for 2, at ε = 2 and 8', () => {
    for (const epsilon of [2, 8]) {
      const long = centralNoiseFor(epsilon, TWENTY);
      expect(long.mechanism).toBe('gaussian');
      expect(long.kinds.visits.variance).toBeLessThan(
        centralNoiseFor(epsilon, TWENTY, 'laplace').kinds.visits.variance,
      );
      const short = centralNoiseFor(epsilon, SMALL);
      expect(short.mechanism).toBe('laplace');
      expect(short.kinds.visits.variance).toBeLessThan(
        centralNoiseFor(epsilon, SMALL, 'gaussian').kinds.visits.variance,
      );
    }
  });

  it('the Gaussian tail bound is exceeded with probability ≤ 10⁻⁹: ⌈σ √(2 ln(2 · 10⁹))⌉', () => {
    const e = centralNoiseFor(2, TWENTY, 'gaussian').kinds.visits;
    expect(e.tail).toBe(Math.ceil(Math.sqrt(e.variance) * Math.sqrt(2 * Math.log(2e9))));
  });

  it('refuses what the Laplace calibration refuses', () => {
    expect(() => centralNoiseFor(2, { ...TWENTY, clipBounds: null }, 'gaussian')).toThrow(
      /clip bounds/,
    );
    expect(() => centralNoiseFor(0, TWENTY, 'gaussian')).toThrow(RangeError);
  });
});

describe('central noise draws (seeded): discrete Gaussian', () => {
  // 60 entries at ε = 4 with visits bound 7: σ² = 49 · 60 / (2ρ), σ ≈ 90.
  const task = { vdaf: { length: 60, bits: 3 }, clipBounds: SMALL_BOUNDS };
  const noise = gaussian(centralNoiseFor(4, task, 'gaussian').kinds.visits);
  const draws = drawEntryNoise(noise, N, seededRandom(31));

  /** χ² of `sample` against N_Z(0, σ²) over 18 bins: −∞…−2.4σ, 16 bins of 0.3σ, 2.4σ…∞. */
  function chi2(sample: readonly number[], sigma2: number): number {
    const sigma = Math.sqrt(sigma2);
    const edges = Array.from({ length: 17 }, (_, i) => Math.round((-2.4 + 0.3 * i) * sigma));
    const norm = discreteGaussianNormaliser(sigma2);
    const gaussianPmf = (z: number) => Math.exp((-z * z) / (2 * sigma2)) / norm;
    const reach = Math.ceil(12 * sigma);
    const fit = chiSquareBinned(sample, gaussianPmf, edges, { from: -reach, to: reach });
    expect(fit.smallestExpected).toBeGreaterThan(5);
    return fit.stat;
  }

  it('one aggregator’s noise has the declared distribution (χ² over 18 bins); σ 20 % smaller is rejected', () => {
    expect(Math.sqrt(noise.variance)).toBeGreaterThan(80);
    expect(chi2(draws, noise.variance)).toBeLessThan(CHI2_17_999);
    const smaller = { num: noise.sigma2.num * 16n, den: noise.sigma2.den * 25n }; // σ · 0.8
    const random = seededRandom(33);
    const weaker = Array.from({ length: N }, () => discreteGaussianDraw(smaller, random));
    expect(chi2(weaker, noise.variance)).toBeGreaterThan(CHI2_17_999);
  });

  it('one aggregator’s noise has mean 0 and the declared variance; two add up to twice it', () => {
    const sd = Math.sqrt(noise.variance);
    expect(Math.abs(mean(draws))).toBeLessThan((4 * sd) / Math.sqrt(N));
    expect(variance(draws) / noise.variance).toBeGreaterThan(0.95);
    expect(variance(draws) / noise.variance).toBeLessThan(1.05);
    const helper = drawEntryNoise(noise, N, seededRandom(32));
    const released = draws.map((z, i) => z + helper[i]!);
    expect(variance(released) / (2 * noise.variance)).toBeGreaterThan(0.95);
    expect(variance(released) / (2 * noise.variance)).toBeLessThan(1.05);
  });

  it('a vector’s draws take each entry at its own kind’s σ², in vector order', () => {
    const calibrated = centralNoiseFor(2, TWENTY);
    const random = seededRandom(34);
    const expected = Array.from({ length: 60 }, (_, i) =>
      discreteGaussianDraw(gaussian(calibrated.kinds[entryKind(i)]).sigma2, random),
    );
    expect(drawCentralNoise(calibrated, seededRandom(34))).toEqual(expected);
  });
});

describe('the start log line', () => {
  it('names ε, the mechanism and each kind’s standard deviation; “off” without ε', () => {
    const line = (task: NoiseCalibrationTask, centralEpsilon: number | null) =>
      describeShareNoise(shareNoiseFor({ ...task, centralEpsilon }, seededRandom(1)));
    expect(line(TWENTY, 2)).toMatch(/^central noise on: ε 2 per epoch .*discrete Gaussian.*δ 1e-9/);
    expect(line(TWENTY, 2)).toContain('visits sensitivity 50, standard deviation 1155.9');
    expect(line(SMALL, 1)).toMatch(/^central noise on: ε 1 per epoch .*discrete Laplace/);
    expect(line(SMALL, null)).toMatch(/^central noise off/);
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
