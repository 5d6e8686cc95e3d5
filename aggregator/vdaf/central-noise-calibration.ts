/**
 * Central differential privacy on an aggregate share (pure): the calibration — which noise each
 * entry gets, and what it guarantees. The draws and the sealing step are in `central-noise.ts`.
 *
 * Each aggregator adds its own integer noise to every entry of its aggregate share before sealing
 * it to the collector, at the full scale the declared ε needs — so the released sums meet ε even
 * if the other aggregator adds none (two honest aggregators together add twice the variance).
 *
 * Sensitivity (docs/private-aggregation.md, "ε accounting"; D-034): the guarantee protects an
 * honest member, whose device clips each entry of its measurement (`measurementFor`): the flag to
 * 1, visits to the visits clip, active minutes to ⌈maxActiveSeconds / 60⌉. Neighbouring batches
 * differ in that one honest report; every other report — a malicious client's included, which
 * SumVec's proof bounds only by 2^bits − 1 — is the same in both, so it bears on robustness, not
 * on that member's privacy. Entry i has sensitivity Δ_i, its clip bound; there is no fallback to
 * 2^bits − 1 (without clip bounds there is no calibration).
 *
 * Two mechanisms, both giving every entry the same noise relative to its own range; the task gets
 * the one with the smaller variance for its ε and length, a choice made from public parameters
 * only (D-037):
 * - **discrete Gaussian** (CKS 2020, exact sampler in `extension/protocol/noise-discrete-gaussian.ts`):
 *   the L2 sensitivity of the vector normalised by the clip bounds is √length, ρ = ρ(ε, δ) the
 *   largest zCDP whose conversion gives (ε, CENTRAL_DELTA) (`extension/protocol/zcdp.ts`), and
 *   entry i gets σ_i² = Δ_i² · length / (2ρ), rounded up to a rational with denominator 10⁶, so
 *   Σ_i Δ_i² / (2σ_i²) ≤ ρ. Better once length > ε² / (4ρ) (18 entries at ε = 2, 22 at ε = 8);
 * - **discrete Laplace** (the local mode's sampler, `extension/protocol/noise.ts`): ε split evenly
 *   over the entries (L1, basic composition), α_i = exp(−(ε / length) / Δ_i), truncated at the
 *   tail of mass ≤ 10⁻⁹: (ε, length · 10⁻⁹)-DP. Better for short vectors (a task of one to five
 *   categories at ε = 2).
 */
import { ENTRIES_PER_CATEGORY, type CategoryTask } from '../../extension/protocol/dap-task.ts';
import type { Rational } from '../../extension/protocol/noise-discrete-gaussian.ts';
import {
  discreteLaplaceAlpha,
  discreteLaplaceVariance,
  noiseTail,
  TAIL_PROBABILITY,
} from '../../extension/protocol/privacy.ts';
import { CENTRAL_DELTA, zcdpDelta, zcdpRhoFor } from '../../extension/protocol/zcdp.ts';

/** What an honest device clips a category's entries to (the flag is at most 1). */
export interface ClipBounds {
  readonly visits: number;
  /** ⌈maxActiveSeconds / 60⌉, the bound `measurementFor` clips rounded minutes to. */
  readonly activeMinutes: number;
}

/** The clip bounds of a task the categories define (the config's maxVisits, maxActiveSeconds). */
export function clipBoundsOf(task: CategoryTask): ClipBounds {
  return { visits: task.visitsClip, activeMinutes: task.activeMinutesClip };
}

/** The entries of one category, in vector order. */
export const ENTRY_KINDS = ['flag', 'visits', 'activeMinutes'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** Which kind entry `i` of the vector is: entries 3·c..3·c+2 are category c's. */
export const entryKind = (i: number): EntryKind => ENTRY_KINDS[i % ENTRIES_PER_CATEGORY]!;

export const NOISE_MECHANISMS = ['gaussian', 'laplace'] as const;
export type NoiseMechanism = (typeof NOISE_MECHANISMS)[number];

interface EntryNoiseCommon {
  /** What one honest report can change the entry by: its clip bound (1 for the flag). */
  readonly sensitivity: number;
  /** Variance of the entry's noise from one aggregator (an upper bound, conservative). */
  readonly variance: number;
  /** |noise| exceeds it with probability ≤ 10⁻⁹ (Laplace: never, the draw is truncated there). */
  readonly tail: number;
}

export interface LaplaceEntryNoise extends EntryNoiseCommon {
  readonly mechanism: 'laplace';
  /** This entry's share of ε: ε / length. */
  readonly epsilon: number;
  readonly alpha: number;
}

export interface GaussianEntryNoise extends EntryNoiseCommon {
  readonly mechanism: 'gaussian';
  /** σ² exactly, as the sampler takes it; `variance` is its value. */
  readonly sigma2: Rational;
  /** This entry's share of ρ: Δ² / (2σ²). */
  readonly rho: number;
}

/** The noise on one kind of entry. */
export type EntryNoise = LaplaceEntryNoise | GaussianEntryNoise;

export interface CentralNoise {
  readonly mechanism: NoiseMechanism;
  /** ε per epoch the released sums meet (from the task definition). */
  readonly epsilon: number;
  /** δ of the (ε, δ) guarantee per release (Laplace: the truncation's length · 10⁻⁹). */
  readonly delta: number;
  /** Gaussian: the zCDP ρ of one aggregator's noise, Σ over the entries; Laplace: null. */
  readonly rho: number | null;
  readonly length: number;
  readonly kinds: Readonly<Record<EntryKind, EntryNoise>>;
}

/** What the calibration reads from a task. */
export interface NoiseCalibrationTask {
  readonly vdaf: { readonly length: number; readonly bits: number };
  readonly clipBounds: ClipBounds | null;
}

/** Refuses (RangeError) what cannot be calibrated; returns the clip bounds otherwise. */
function checkedBounds(epsilon: number, task: NoiseCalibrationTask): ClipBounds {
  if (!(epsilon > 0) || !Number.isFinite(epsilon)) {
    throw new RangeError(`central ε must be a positive number, got ${epsilon}`);
  }
  const { length, bits } = task.vdaf;
  const bounds = task.clipBounds;
  if (bounds === null) {
    throw new RangeError(
      'central noise needs the clip bounds of an honest report (visits, activeMinutes): without them there is no calibration',
    );
  }
  if (length % ENTRIES_PER_CATEGORY !== 0) {
    throw new RangeError(
      `central noise needs whole categories (${ENTRIES_PER_CATEGORY} entries each), got a vector of ${length}`,
    );
  }
  const limit = 2 ** bits - 1;
  for (const [name, bound] of Object.entries(bounds)) {
    if (!Number.isSafeInteger(bound) || bound < 1 || bound > limit) {
      throw new RangeError(
        `the ${name} clip bound must be an integer from 1 to 2^bits − 1 = ${limit}, got ${bound}`,
      );
    }
  }
  return bounds;
}

const kindsOf = (bounds: ClipBounds, entry: (sensitivity: number) => EntryNoise) => ({
  flag: entry(1),
  visits: entry(bounds.visits),
  activeMinutes: entry(bounds.activeMinutes),
});

function laplaceNoise(epsilon: number, length: number, bounds: ClipBounds): CentralNoise {
  const epsilonPerEntry = epsilon / length;
  const entry = (sensitivity: number): LaplaceEntryNoise => {
    const alpha = discreteLaplaceAlpha(epsilonPerEntry, sensitivity);
    return {
      mechanism: 'laplace',
      sensitivity,
      epsilon: epsilonPerEntry,
      alpha,
      tail: noiseTail(alpha),
      variance: discreteLaplaceVariance(alpha),
    };
  };
  const delta = length * TAIL_PROBABILITY;
  return { mechanism: 'laplace', epsilon, delta, rho: null, length, kinds: kindsOf(bounds, entry) };
}

/** σ² is rounded up to a multiple of 1 / SIGMA2_DENOMINATOR (only ever less privacy loss). */
const SIGMA2_DENOMINATOR = 1_000_000;

/** Σ over the vector of Δ² / (2σ²): the ρ one aggregator's noise gives (CKS Theorem 14). */
export function gaussianRho(noise: Pick<CentralNoise, 'length' | 'kinds'>): number {
  let rho = 0;
  for (let i = 0; i < noise.length; i++) {
    const e = noise.kinds[entryKind(i)];
    if (e.mechanism !== 'gaussian') throw new RangeError('ρ is the Gaussian calibration’s');
    rho += e.sensitivity ** 2 / (2 * (Number(e.sigma2.num) / Number(e.sigma2.den)));
  }
  return rho;
}

function gaussianNoise(epsilon: number, length: number, bounds: ClipBounds): CentralNoise {
  const rhoTarget = zcdpRhoFor(epsilon, CENTRAL_DELTA);
  const entry = (sensitivity: number): GaussianEntryNoise => {
    const exact = (sensitivity ** 2 * length) / (2 * rhoTarget);
    const sigma2 = {
      num: BigInt(Math.ceil(exact * SIGMA2_DENOMINATOR * (1 + 1e-12))),
      den: BigInt(SIGMA2_DENOMINATOR),
    };
    const variance = Number(sigma2.num) / SIGMA2_DENOMINATOR;
    return {
      mechanism: 'gaussian',
      sensitivity,
      sigma2,
      rho: sensitivity ** 2 / (2 * variance),
      variance,
      // Sub-Gaussian tails (CKS Proposition 25): P(|X| ≥ k) ≤ 2·exp(−k² / (2σ²)).
      tail: Math.ceil(Math.sqrt(2 * variance * Math.log(2 / TAIL_PROBABILITY))),
    };
  };
  const noise = { length, kinds: kindsOf(bounds, entry) };
  const rho = gaussianRho(noise);
  if (zcdpDelta(rho, epsilon) > CENTRAL_DELTA) {
    throw new RangeError(
      `the Gaussian calibration gives ρ = ${rho}, above what ε = ${epsilon} allows`,
    );
  }
  return { mechanism: 'gaussian', epsilon, delta: CENTRAL_DELTA, rho, ...noise };
}

/** Σ_kind variance / Δ²: the noise relative to the entries' ranges, to compare mechanisms. */
const relativeVariance = (noise: CentralNoise) =>
  ENTRY_KINDS.reduce((sum, kind) => {
    const e = noise.kinds[kind];
    return sum + e.variance / e.sensitivity ** 2;
  }, 0);

/**
 * The calibration both aggregators use: the mechanism with the smaller variance at this ε and
 * length (or the one asked for, to compare them). Refuses (RangeError) an ε that is not a
 * positive number, a task without clip bounds, a vector that is not whole categories, and a clip
 * bound that is not a positive integer within the proof's 2^bits − 1 (an honest report could
 * not carry it).
 */
export function centralNoiseFor(
  epsilon: number,
  task: NoiseCalibrationTask,
  mechanism?: NoiseMechanism,
): CentralNoise {
  const bounds = checkedBounds(epsilon, task);
  const { length } = task.vdaf;
  if (mechanism === 'laplace') return laplaceNoise(epsilon, length, bounds);
  if (mechanism === 'gaussian') return gaussianNoise(epsilon, length, bounds);
  const laplace = laplaceNoise(epsilon, length, bounds);
  const gaussian = gaussianNoise(epsilon, length, bounds);
  return relativeVariance(gaussian) < relativeVariance(laplace) ? gaussian : laplace;
}
