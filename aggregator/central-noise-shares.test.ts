/**
 * Each aggregator's noise alone, through its real sealing step: the helper's answer to an
 * AggregateShareReq and the leader's sealed share, each opened by the collector many times over
 * an empty batch (so what comes out is the noise alone), read as signed integers — mean 0 and the
 * declared variance per aggregator at a fixed seed (deterministic). Each entry is at its own
 * kind's scale (flag, visits, minutes), so every draw is divided by its kind's declared standard
 * deviation: the pooled draws must then have mean 0 and variance 1. Two tasks, one per mechanism
 * the calibration picks: 2 categories (6 entries, discrete Laplace) and 20 categories (60
 * entries, discrete Gaussian).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../extension/protocol/noise-seeded-random.ts';
import { generateHpkeKeypair, Role, type HpkeKeypair } from './dap/hpke.ts';
import { openAggregateShare } from './dap/hpke-open.ts';
import { answerAggregateShareReq } from './helper/aggregate-share.ts';
import { aggregateShareRequest, sealLeaderShare } from './leader/collection.ts';
import { emptyBatch } from './vdaf/batch-aggregation.ts';
import { clipBoundsOf, entryKind, shareNoiseFor, type ShareNoise } from './vdaf/central-noise.ts';
import { decodeAggregateShare } from './vdaf/prio3-shares.ts';
import { fromField } from './vdaf/signed-field.ts';
import { sumVecFor } from './vdaf/task.ts';
import { testTask } from './test-support/categories.ts';

const EPSILON = 4;
const taskId = new Uint8Array(32).fill(9);
const interval = { start: 86_400, duration: 86_400 };
const aad = { taskId, aggregationParameter: new Uint8Array(0), batchInterval: interval };
const DRAWS = 9_000; // per aggregator and task

/** One task's sealing paths: the helper's answer and the leader's sealed share of an empty batch. */
function sealingOf(categoryIds: readonly number[]) {
  const categories = testTask(categoryIds);
  const vdaf = sumVecFor(categories);
  const noiseTask = { vdaf, clipBounds: clipBoundsOf(categories), centralEpsilon: EPSILON };
  const batch = emptyBatch(vdaf);
  const request = aggregateShareRequest(batch, interval, 0);
  const helper = (noise: ShareNoise) =>
    answerAggregateShareReq(vdaf, taskId, collector.config, batch, request, noise);
  const leader = (noise: ShareNoise) =>
    sealLeaderShare(vdaf, taskId, collector.config, batch, request, noise);
  return { vdaf, noiseTask, helper, leader };
}

let collector: HpkeKeypair;
beforeAll(async () => {
  collector = await generateHpkeKeypair(1);
});

async function noiseThrough(
  sealing: ReturnType<typeof sealingOf>,
  role: typeof Role.leader | typeof Role.helper,
  seed: number,
): Promise<number[]> {
  const { vdaf, noiseTask } = sealing;
  const seal = role === Role.helper ? sealing.helper : sealing.leader;
  const p = vdaf.flp.field.modulus;
  const noise = shareNoiseFor(noiseTask, seededRandom(seed));
  const draws: number[] = [];
  for (let i = 0; i < DRAWS / vdaf.length; i++) {
    const opened = await openAggregateShare([collector], role, await seal(noise), aad);
    draws.push(...decodeAggregateShare(vdaf, opened).map((x) => fromField(x, p)));
  }
  return draws;
}

/** 1, 2, …, n. */
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: readonly number[]) => {
  const m = mean(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
};

describe('each aggregator’s noise alone, through its sealed share', () => {
  it.each([
    ['helper', 'laplace', Role.helper, [1, 2], 1],
    ['leader', 'laplace', Role.leader, [1, 2], 2],
    ['helper', 'gaussian', Role.helper, range(1, 20), 3],
    ['leader', 'gaussian', Role.leader, range(1, 20), 4],
  ] as const)(
    'the %s’s opened share of an empty batch has mean 0 and the declared variance (%s noise)',
    async (_name, mechanism, role, categoryIds, seed) => {
      const sealing = sealingOf(categoryIds);
      const central = shareNoiseFor(sealing.noiseTask, () => 0).central!;
      expect(central.mechanism).toBe(mechanism);
      const length = sealing.vdaf.length;
      const sd = (i: number) => Math.sqrt(central.kinds[entryKind(i % length)].variance);
      const draws = await noiseThrough(sealing, role, seed);
      expect(draws).toHaveLength(DRAWS);
      expect(draws.some((z) => z < 0)).toBe(true);
      const standardised = draws.map((z, i) => z / sd(i));
      expect(Math.abs(mean(standardised))).toBeLessThan(4 / Math.sqrt(draws.length));
      expect(variance(standardised)).toBeGreaterThan(0.93);
      expect(variance(standardised)).toBeLessThan(1.07);
    },
    120_000,
  );
});
