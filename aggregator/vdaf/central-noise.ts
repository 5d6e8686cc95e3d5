/**
 * Central differential privacy on an aggregate share (pure): the calibration and the draw.
 *
 * Each aggregator adds its own discrete-Laplace noise to every entry of its aggregate share
 * before sealing it to the collector, at the full scale the declared ε needs — so the released
 * sums meet ε even if the other aggregator adds none (two honest aggregators together add twice
 * the variance).
 *
 * Calibration (docs/private-aggregation.md, "ε accounting"): one report changes each entry of the
 * sum by at most 2^bits − 1 — what SumVec's proof enforces, not the clip bounds — and ε per epoch
 * is split evenly over the vector's `length` entries (L1 over one report's entries, as the local
 * mode splits ε over a report's values), so each entry gets ε / length at sensitivity 2^bits − 1:
 * α = exp(−(ε / length) / (2^bits − 1)). The sampler is the local mode's own
 * (`extension/protocol/noise.ts`): exact integer noise, truncated symmetrically at the tail whose
 * mass is ≤ 10⁻⁹ (δ), so the guarantee is (ε, δ)-DP with δ ≤ length · 10⁻⁹ per release.
 */
import { sampleDiscreteLaplace, type UniformRandom } from '../../extension/protocol/noise.ts';
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

export interface CentralNoise {
  /** ε per epoch the released sums meet (from the task definition). */
  readonly epsilon: number;
  /** What one report can change one entry by: 2^bits − 1. */
  readonly sensitivity: number;
  readonly epsilonPerEntry: number;
  readonly alpha: number;
  readonly tail: number;
  /** Variance of one entry's noise from one aggregator (untruncated figure, conservative). */
  readonly variance: number;
}

export function centralNoiseFor(
  epsilon: number,
  vdaf: { readonly length: number; readonly bits: number },
): CentralNoise {
  if (!(epsilon > 0) || !Number.isFinite(epsilon)) {
    throw new RangeError(`central ε must be a positive number, got ${epsilon}`);
  }
  const sensitivity = 2 ** vdaf.bits - 1;
  const epsilonPerEntry = epsilon / vdaf.length;
  const alpha = discreteLaplaceAlpha(epsilonPerEntry, sensitivity);
  return {
    epsilon,
    sensitivity,
    epsilonPerEntry,
    alpha,
    tail: noiseTail(alpha),
    variance: discreteLaplaceVariance(alpha),
  };
}

/** One noise draw per entry (signed integers); tests look at these directly. */
export function drawCentralNoise(
  noise: CentralNoise,
  length: number,
  random: UniformRandom,
): number[] {
  return Array.from({ length }, () => sampleDiscreteLaplace(noise.alpha, noise.tail, random));
}

/** `share` + noise, entry by entry in the field (negative noise as p − |n|). */
export function addCentralNoise(
  share: readonly bigint[],
  p: bigint,
  noise: CentralNoise,
  random: UniformRandom,
): bigint[] {
  const draws = drawCentralNoise(noise, share.length, random);
  return share.map((x, i) => (x + toField(draws[i]!, p)) % p);
}

/** What an aggregator adds to each aggregate share it releases: the calibration (null: none). */
export interface ShareNoise {
  readonly central: CentralNoise | null;
  readonly random: UniformRandom;
}

/** No noise: the plain protocol steps (tests of the wire and the sums). */
export const NO_NOISE: ShareNoise = { central: null, random: () => 0 };

/** The task's noise: `epsilon` null switches it off. */
export function shareNoiseFor(
  epsilon: number | null,
  vdaf: { readonly length: number; readonly bits: number },
  random: UniformRandom,
): ShareNoise {
  return { central: epsilon === null ? null : centralNoiseFor(epsilon, vdaf), random };
}

/** The sentence an aggregator logs at start: what it adds to each share it releases. */
export function describeShareNoise(noise: ShareNoise): string {
  const c = noise.central;
  if (c === null)
    return 'central noise off (no centralEpsilon in the task): shares are released without noise';
  return `central noise on: ε ${c.epsilon} per epoch, discrete Laplace per entry with α ${c.alpha.toPrecision(6)} (sensitivity ${c.sensitivity}, standard deviation ${Math.sqrt(c.variance).toFixed(1)})`;
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
