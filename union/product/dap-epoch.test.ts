import { describe, expect, it } from 'vitest';

import { centralNoiseFor, clipBoundsOf } from '../../aggregator/vdaf/central-noise.ts';
import { categoryTask } from '../../aggregator/vdaf/task.ts';
import { Z_95 } from './cell-estimate.ts';
import { dapEpoch, type ReleasedNoise } from './dap-epoch.ts';
import { epochRows } from './product-row.ts';
import type { AggregationConfig, PublishedCell } from './types.ts';

const DAY = 86_400;
const EPOCH = 1_767_225_600;
const config: AggregationConfig = {
  version: 3,
  privacy: { epsilon: 2, maxVisits: 50, maxActiveSeconds: 14_400, kThreshold: 50 },
  categories: [
    { id: 289, key: 'shopping' },
    { id: 1, key: 'arts-entertainment' },
    { id: 243, key: 'news' },
  ],
};

/** What the union declares for a config's central ε: each aggregator's calibration, twice. */
function calibrated(epsilon: number): ReleasedNoise {
  const task = categoryTask(config);
  const { kinds } = centralNoiseFor(epsilon, { vdaf: task.vdaf, clipBounds: clipBoundsOf(task) });
  return {
    flag: 2 * kinds.flag.variance,
    visits: 2 * kinds.visits.variance,
    activeMinutes: 2 * kinds.activeMinutes.variance,
  };
}

const published = (cells: readonly { suppressed: boolean }[]) =>
  cells.filter((c): c is PublishedCell => !c.suppressed);

describe('dapEpoch', () => {
  it('publishes the released sums as totals, the noisy flag sum as contributors, and standard errors from the central calibration', () => {
    const noiseVariance = calibrated(1);
    const epoch = dapEpoch({
      epochStart: EPOCH,
      epochSeconds: DAY,
      config,
      // shopping: 120 noisy contributors; arts: 49 (below k = 50); news: 300
      release: { reportCount: 412, sums: [120, 2_400, 3_000, 49, 300, 700, 300, 9_000, -5] },
      noiseVariance,
    });
    expect(epoch.mode).toBe('dap');
    expect(epoch.cells.map((c) => [c.category, c.suppressed])).toEqual([
      [1, true],
      [243, false],
      [289, false],
    ]);
    const [news, shopping] = published(epoch.cells);
    const se = Math.sqrt(noiseVariance.visits);
    expect(shopping).toMatchObject({
      contributors: 120,
      kThreshold: 50,
      reportingMembers: 410, // 412 rounded to a multiple of 10
      shareContributing: 0.2927,
    });
    expect(shopping!.visits.total.value).toBe(2_400);
    expect(shopping!.visits.total.se).toBeCloseTo(se, 2);
    expect(shopping!.visits.total.ciLow).toBeCloseTo(2_400 - Z_95 * se, 2);
    expect(shopping!.visits.mean.value).toBe(20);
    expect(shopping!.activeSeconds.total.value).toBe(180_000);
    expect(shopping!.activeSeconds.total.se).toBeCloseTo(
      60 * Math.sqrt(noiseVariance.activeMinutes),
      2,
    );
    // A noisy sum below zero is published as released (unbiased); its interval starts at 0.
    expect(news!.activeSeconds.total.value).toBe(-300);
    expect(news!.activeSeconds.total.ciLow).toBe(0);
    // Every row says which method produced it, suppressed ones too.
    expect(new Set(epochRows(epoch).map((r) => r.mode))).toEqual(new Set(['dap']));
  });

  it('states a larger standard error at a smaller ε, always twice one aggregator’s variance', () => {
    const at = (epsilon: number) => {
      const epoch = dapEpoch({
        epochStart: EPOCH,
        epochSeconds: DAY,
        config,
        release: { reportCount: 100, sums: [100, 500, 500, 100, 500, 500, 100, 500, 500] },
        noiseVariance: calibrated(epsilon),
      });
      return published(epoch.cells)[0]!.visits.total.se;
    };
    expect(at(1)).toBeGreaterThan(at(4));
    const one = centralNoiseFor(1, {
      vdaf: categoryTask(config).vdaf,
      clipBounds: clipBoundsOf(categoryTask(config)),
    }).kinds.visits.variance;
    expect(at(1)).toBeCloseTo(Math.sqrt(2 * one), 2);
  });

  it('suppresses every category, with no number, when the aggregators refused the batch (fewer than k reports)', () => {
    const epoch = dapEpoch({
      epochStart: EPOCH,
      epochSeconds: DAY,
      config,
      release: null,
      noiseVariance: calibrated(1),
    });
    expect(epoch.cells).toEqual([
      { suppressed: true, category: 1, categoryKey: 'arts-entertainment' },
      { suppressed: true, category: 243, categoryKey: 'news' },
      { suppressed: true, category: 289, categoryKey: 'shopping' },
    ]);
  });

  it('refuses a release that does not fit the config (wrong length, not integers)', () => {
    const input = { epochStart: EPOCH, epochSeconds: DAY, config, noiseVariance: calibrated(1) };
    expect(() => dapEpoch({ ...input, release: { reportCount: 3, sums: [1, 2, 3] } })).toThrow(
      /3 sums; config version 3 has 3 categories \(9 sums\)/,
    );
    expect(() =>
      dapEpoch({ ...input, release: { reportCount: 3, sums: [1, 2, 3, 4, 5, 6, 7, 8, 9.5] } }),
    ).toThrow(/integers/);
  });
});
