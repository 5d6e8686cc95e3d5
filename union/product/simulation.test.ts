import { beforeAll, describe, expect, it } from 'vitest';

import { seededRandom } from '../../extension/protocol/noise-seeded-random.ts';
import { aggregateEpoch } from './aggregate.ts';
import { publishedCount } from './rounding.ts';
import { config, simulatedCategories } from './testing/fixtures.ts';
import { cellKey, simulateEpoch } from './testing/simulate.ts';
import type { Estimate, PublishedCell } from './types.ts';

/**
 * 400 simulated epochs, each with 60 to 3 000 members running one of two config versions that
 * share clip bounds but differ in ε (2 and 0.5), with members opting into 1–3 categories, noised
 * by the extension's own sampler. Every published cell gives two 95 % intervals (visits, active
 * seconds), all with independent noise: about 2 400 intervals. Under correct coverage the hit
 * rate has standard deviation √(0.95·0.05/2400) ≈ 0.0044, so [0.935, 0.965] is ±3.4 σ (a correct
 * estimator fails it with probability < 1e-3 for a random seed); the seed is fixed, so the test is
 * deterministic.
 */
const EPOCHS = 400;
// k = 2 so that cells with few contributors (where the normal approximation is weakest) count too.
const configs = [
  config(1, { epsilon: 2, kThreshold: 2 }),
  config(2, { epsilon: 0.5, kThreshold: 2 }),
];

function simulate() {
  const random = seededRandom(2_026_11);
  const standardised: number[] = [];
  let covered = 0;
  let smallestCell = Infinity;
  for (let e = 0; e < EPOCHS; e++) {
    const members = 60 + Math.floor(random() * 2_940);
    const { input, truth } = simulateEpoch({
      epochStart: 1_767_225_600 + e * 86_400,
      epochSeconds: 86_400,
      members,
      categories: simulatedCategories,
      configs,
      configInForce: 2,
      random,
    });
    const aggregate = aggregateEpoch(input);
    for (const cell of aggregate.cells.filter((c): c is PublishedCell => !c.suppressed)) {
      const t = truth.get(cellKey(cell.category, cell.visits.clip, cell.activeSeconds.clip))!;
      expect(cell.contributors).toBe(publishedCount(t.contributors, cell.kThreshold).value);
      smallestCell = Math.min(smallestCell, t.contributors);
      const check = (estimate: Estimate, trueTotal: number) => {
        if (estimate.ciLow <= trueTotal && trueTotal <= estimate.ciHigh) covered++;
        standardised.push((estimate.value - trueTotal) / estimate.se);
      };
      check(cell.visits.total, t.visits);
      check(cell.activeSeconds.total, t.seconds);
    }
  }
  const n = standardised.length;
  const meanZ = standardised.reduce((s, z) => s + z, 0) / n;
  const varZ = standardised.reduce((s, z) => s + (z - meanZ) ** 2, 0) / (n - 1);
  return { intervals: n, coverage: covered / n, meanZ, varZ, smallestCell };
}

describe('de-biased estimates in simulation with the extension’s own noise', () => {
  let result: ReturnType<typeof simulate>;
  beforeAll(() => {
    result = simulate();
  });

  it('simulates enough intervals, including cells just above a small k', () => {
    expect(result.intervals).toBeGreaterThan(2_000);
    expect(result.smallestCell).toBeLessThan(20);
  });

  it('puts the true clipped total inside the 95 % interval at the stated rate', () => {
    expect(result.coverage).toBeGreaterThanOrEqual(0.935);
    expect(result.coverage).toBeLessThanOrEqual(0.965);
  });

  it('is unbiased: the mean standardised error is within 4/√n of zero', () => {
    expect(Math.abs(result.meanZ)).toBeLessThan(4 / Math.sqrt(result.intervals));
  });

  it('states standard errors that match the actual spread of the errors', () => {
    // Var of the sample variance of ≈N(0,1) errors is 2/n: ±4 σ.
    expect(Math.abs(result.varZ - 1)).toBeLessThan(4 * Math.sqrt(2 / result.intervals));
  });
});
