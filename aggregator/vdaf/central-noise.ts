/**
 * Central differential privacy on an aggregate share (pure): the calibration and the draw.
 *
 * Each aggregator adds its own discrete-Laplace noise to every entry of its aggregate share
 * before sealing it to the collector, at the full scale the declared ε needs — so the released
 * sums meet ε even if the other aggregator adds none (two honest aggregators together add twice
 * the variance).
 *
 * Calibration (docs/private-aggregation.md, "ε accounting"; D-034): the guarantee protects an
 * honest member, whose device clips each entry of its measurement (`measurementFor`): the flag to
 * 1, visits to the visits clip, active minutes to ⌈maxActiveSeconds / 60⌉. Neighbouring batches
 * differ in that one honest report; every other report — a malicious client's included, which
 * SumVec's proof bounds only by 2^bits − 1 — is the same in both, so it bears on robustness (how
 * far a poisoner moves a sum), not on that member's privacy. So entry i has sensitivity Δ_i, its
 * clip bound, and ε per epoch is split evenly over the vector's `length` entries (L1 over one
 * report's entries, basic composition, as the local mode splits ε over a report's values): entry i
 * gets α_i = exp(−(ε / length) / Δ_i), every entry the same noise relative to its own range. The
 * sampler is the local mode's own (`extension/protocol/noise.ts`): exact integer noise, truncated
 * symmetrically at the tail whose mass is ≤ 10⁻⁹ (δ), so the guarantee is (ε, δ)-DP with
 * δ ≤ length · 10⁻⁹ per release. There is no fallback to 2^bits − 1: without clip bounds there
 * is no calibration.
 */
import { sampleDiscreteLaplace, type UniformRandom } from '../../extension/protocol/noise.ts';
import { ENTRIES_PER_CATEGORY, type CategoryTask } from '../../extension/protocol/dap-task.ts';
import {
  discreteLaplaceAlpha,
  discreteLaplaceVariance,
  noiseTail,
} from '../../extension/protocol/privacy.ts';
import type { Prio3SumVec } from '@divviup/prio3';
import { randomBytes } from 'node:crypto';
import { toField } from './signed-field.ts';

/** Uniform on [0, 1) with 53 bits from the operating system's CSPRNG: the aggregators' default. */
export const cryptoUniform: UniformRandom = () =>
  Number(randomBytes(8).readBigUInt64BE() >> 11n) / 2 ** 53;

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

/** The noise on one kind of entry. */
export interface EntryNoise {
  /** What one honest report can change the entry by: its clip bound (1 for the flag). */
  readonly sensitivity: number;
  readonly epsilon: number;
  readonly alpha: number;
  readonly tail: number;
  /** Variance of the entry's noise from one aggregator (untruncated figure, conservative). */
  readonly variance: number;
}

export interface CentralNoise {
  /** ε per epoch the released sums meet (from the task definition). */
  readonly epsilon: number;
  readonly length: number;
  readonly kinds: Readonly<Record<EntryKind, EntryNoise>>;
}

/** What the calibration reads from a task. */
export interface NoiseCalibrationTask {
  readonly vdaf: { readonly length: number; readonly bits: number };
  readonly clipBounds: ClipBounds | null;
}

/**
 * The calibration both aggregators use. Refuses (RangeError) an ε that is not a positive number,
 * a task without clip bounds, a vector that is not whole categories, and a clip bound that is not
 * a positive integer within the proof's 2^bits − 1 (an honest report could not carry it).
 */
export function centralNoiseFor(epsilon: number, task: NoiseCalibrationTask): CentralNoise {
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
  const epsilonPerEntry = epsilon / length;
  const entry = (sensitivity: number): EntryNoise => {
    const alpha = discreteLaplaceAlpha(epsilonPerEntry, sensitivity);
    return {
      sensitivity,
      epsilon: epsilonPerEntry,
      alpha,
      tail: noiseTail(alpha),
      variance: discreteLaplaceVariance(alpha),
    };
  };
  return {
    epsilon,
    length,
    kinds: {
      flag: entry(1),
      visits: entry(bounds.visits),
      activeMinutes: entry(bounds.activeMinutes),
    },
  };
}

/** `count` draws of one kind's noise (signed integers); tests look at these directly. */
export function drawEntryNoise(entry: EntryNoise, count: number, random: UniformRandom): number[] {
  return Array.from({ length: count }, () =>
    sampleDiscreteLaplace(entry.alpha, entry.tail, random),
  );
}

/** One noise draw per entry of the vector, each at its kind's scale, in vector order. */
export function drawCentralNoise(noise: CentralNoise, random: UniformRandom): number[] {
  return Array.from({ length: noise.length }, (_, i) => {
    const entry = noise.kinds[entryKind(i)];
    return sampleDiscreteLaplace(entry.alpha, entry.tail, random);
  });
}

/** `share` + noise, entry by entry in the field (negative noise as p − |n|). */
export function addCentralNoise(
  share: readonly bigint[],
  p: bigint,
  noise: CentralNoise,
  random: UniformRandom,
): bigint[] {
  if (share.length !== noise.length) {
    throw new RangeError(`a share of ${share.length} entries, calibrated for ${noise.length}`);
  }
  const draws = drawCentralNoise(noise, random);
  return share.map((x, i) => (x + toField(draws[i]!, p)) % p);
}

/** What an aggregator adds to each aggregate share it releases: the calibration (null: none). */
export interface ShareNoise {
  readonly central: CentralNoise | null;
  readonly random: UniformRandom;
}

/** No noise: the plain protocol steps (tests of the wire and the sums). */
export const NO_NOISE: ShareNoise = { central: null, random: () => 0 };

/** The task's noise: a null `centralEpsilon` switches it off. */
export function shareNoiseFor(
  task: NoiseCalibrationTask & { readonly centralEpsilon: number | null },
  random: UniformRandom,
): ShareNoise {
  const epsilon = task.centralEpsilon;
  return { central: epsilon === null ? null : centralNoiseFor(epsilon, task), random };
}

/** The sentence an aggregator logs at start: what it adds to each share it releases. */
export function describeShareNoise(noise: ShareNoise): string {
  const c = noise.central;
  if (c === null)
    return 'central noise off (no centralEpsilon in the task): shares are released without noise';
  const kinds = ENTRY_KINDS.map((kind) => {
    const e = c.kinds[kind];
    return `${kind} sensitivity ${e.sensitivity}, standard deviation ${Math.sqrt(e.variance).toFixed(1)}`;
  });
  return `central noise on: ε ${c.epsilon} per epoch split evenly over ${c.length} entries, discrete Laplace per entry at its clip bound (${kinds.join('; ')})`;
}

/** `share` with the noise added (a copy of it when the noise is off). */
export function noisyShare(
  vdaf: Prio3SumVec,
  share: readonly bigint[],
  noise: ShareNoise,
): bigint[] {
  if (noise.central === null) return [...share];
  return addCentralNoise(share, vdaf.flp.field.modulus, noise.central, noise.random);
}
