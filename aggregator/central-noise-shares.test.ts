/**
 * Each aggregator's noise alone, through its real sealing step: the helper's answer to an
 * AggregateShareReq and the leader's sealed share, each opened by the collector many times over
 * an empty batch (so what comes out is the noise alone), read as signed integers — mean 0 and the
 * declared variance per aggregator at a fixed seed (deterministic). Each entry is at its own
 * kind's scale (flag, visits, minutes), so every draw is divided by its kind's declared standard
 * deviation: the pooled draws must then have mean 0 and variance 1.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../extension/protocol/noise-seeded-random.ts';
import { generateHpkeKeypair, openAggregateShare, Role, type HpkeKeypair } from './dap/hpke.ts';
import { answerAggregateShareReq } from './helper/aggregate-share.ts';
import { aggregateShareRequest, sealLeaderShare } from './leader/collection.ts';
import { emptyBatch } from './vdaf/batch-aggregation.ts';
import { clipBoundsOf, entryKind, shareNoiseFor, type ShareNoise } from './vdaf/central-noise.ts';
import { decodeAggregateShare } from './vdaf/prio3-shares.ts';
import { fromField } from './vdaf/signed-field.ts';
import { sumVecFor } from './vdaf/task.ts';
import { testTask } from './test-support/categories.ts';
import type { HpkeCiphertext } from './dap/upload.ts';

const EPSILON = 4;
const categories = testTask([1, 2]);
const vdaf = sumVecFor(categories); // 6 entries
const noiseTask = { vdaf, clipBounds: clipBoundsOf(categories), centralEpsilon: EPSILON };
const p = vdaf.flp.field.modulus;
const taskId = new Uint8Array(32).fill(9);
const interval = { start: 86_400, duration: 86_400 };
const batch = emptyBatch(vdaf);
const request = aggregateShareRequest(batch, interval, 0);
const aad = { taskId, aggregationParameter: new Uint8Array(0), batchInterval: interval };
const ROUNDS = 1_500; // × 6 entries = 9,000 draws per aggregator

let collector: HpkeKeypair;
beforeAll(async () => {
  collector = await generateHpkeKeypair(1);
});

async function noiseThrough(
  role: typeof Role.leader | typeof Role.helper,
  seal: (noise: ShareNoise) => Promise<HpkeCiphertext>,
  seed: number,
): Promise<number[]> {
  const noise = shareNoiseFor(noiseTask, seededRandom(seed));
  const draws: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const opened = await openAggregateShare([collector], role, await seal(noise), aad);
    draws.push(...decodeAggregateShare(vdaf, opened).map((x) => fromField(x, p)));
  }
  return draws;
}

const helperSeal = (noise: ShareNoise) =>
  answerAggregateShareReq(vdaf, taskId, collector.config, batch, request, noise);
const leaderSeal = (noise: ShareNoise) =>
  sealLeaderShare(vdaf, taskId, collector.config, batch, request, noise);

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: readonly number[]) => {
  const m = mean(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
};

describe('each aggregator’s noise alone, through its sealed share', () => {
  const { kinds } = shareNoiseFor(noiseTask, () => 0).central!;
  const sd = (i: number) => Math.sqrt(kinds[entryKind(i % vdaf.length)].variance);

  it.each([
    ['helper', Role.helper, helperSeal, 1],
    ['leader', Role.leader, leaderSeal, 2],
  ] as const)(
    'the %s’s opened share of an empty batch has mean 0 and the declared variance',
    async (_name, role, seal, seed) => {
      const draws = await noiseThrough(role, seal, seed);
      expect(draws).toHaveLength(ROUNDS * vdaf.length);
      expect(draws.some((z) => z < 0)).toBe(true);
      const standardised = draws.map((z, i) => z / sd(i));
      expect(Math.abs(mean(standardised))).toBeLessThan(4 / Math.sqrt(draws.length));
      expect(variance(standardised)).toBeGreaterThan(0.93);
      expect(variance(standardised)).toBeLessThan(1.07);
    },
    120_000,
  );
});
