/**
 * Central differential privacy on an aggregate share (pure): the draw and the noisy share. Each
 * aggregator adds its own integer noise to every entry of its aggregate share before sealing it to
 * the collector, at the full scale the declared ε needs — so the released sums meet ε even if the
 * other aggregator adds none (two honest aggregators together add twice the variance). Which noise
 * each entry gets (discrete Gaussian or discrete Laplace, at its clip bound) is the calibration's,
 * `central-noise-calibration.ts` (docs/private-aggregation.md, "ε accounting").
 */
import { sampleDiscreteLaplace, type UniformRandom } from '../../extension/protocol/noise.ts';
import { discreteGaussianDraw } from '../../extension/protocol/noise-discrete-gaussian.ts';
import type { Prio3SumVec } from '@divviup/prio3';
import { randomBytes } from 'node:crypto';
import {
  centralNoiseFor,
  ENTRY_KINDS,
  entryKind,
  type CentralNoise,
  type EntryNoise,
  type NoiseCalibrationTask,
} from './central-noise-calibration.ts';
import { toField } from './signed-field.ts';

export {
  centralNoiseFor,
  clipBoundsOf,
  ENTRY_KINDS,
  entryKind,
  gaussianRho,
  type CentralNoise,
  type ClipBounds,
  type EntryKind,
  type EntryNoise,
  type GaussianEntryNoise,
  type LaplaceEntryNoise,
  type NoiseCalibrationTask,
} from './central-noise-calibration.ts';

/** Uniform on [0, 1) with 53 bits from the operating system's CSPRNG: the aggregators' default. */
export const cryptoUniform: UniformRandom = () =>
  Number(randomBytes(8).readBigUInt64BE() >> 11n) / 2 ** 53;

/** One draw of an entry's noise (a signed integer). */
export function drawOne(entry: EntryNoise, random: UniformRandom): number {
  return entry.mechanism === 'gaussian'
    ? discreteGaussianDraw(entry.sigma2, random)
    : sampleDiscreteLaplace(entry.alpha, entry.tail, random);
}

/** `count` draws of one kind's noise (signed integers); tests look at these directly. */
export function drawEntryNoise(entry: EntryNoise, count: number, random: UniformRandom): number[] {
  return Array.from({ length: count }, () => drawOne(entry, random));
}

/** One noise draw per entry of the vector, each at its kind's scale, in vector order. */
export function drawCentralNoise(noise: CentralNoise, random: UniformRandom): number[] {
  return Array.from({ length: noise.length }, (_, i) => drawOne(noise.kinds[entryKind(i)], random));
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
  const how =
    c.mechanism === 'gaussian'
      ? `discrete Gaussian per entry, σ ∝ clip bound, ${c.length} entries at ρ ${c.rho?.toPrecision(4)} in all (zCDP → δ ${c.delta})`
      : `discrete Laplace per entry at its clip bound, ε split evenly over ${c.length} entries (δ ${c.delta.toPrecision(2)} from truncation)`;
  return `central noise on: ε ${c.epsilon} per epoch from this aggregator alone, ${how} (${kinds.join('; ')})`;
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
