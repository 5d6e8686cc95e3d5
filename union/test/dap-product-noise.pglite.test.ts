/**
 * The union as the DAP collector with central noise on: both aggregators add their own noise
 * (seeded here, so the run is the same every time), the union publishes what it opens, and the
 * standard errors it states are the central calibration's for the config's ε — twice one
 * aggregator's variance per entry kind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { freshPgliteDb } from '../../aggregator/test-support/databases.ts';
import { releasedNoise } from '../jobs/dap-collection.ts';
import type { PublishedRow } from '../product/product-row.ts';
import { roundTo } from '../product/rounding.ts';
import { freshPglite } from '../test-support/pglite-template.ts';
import {
  collectThrough,
  productRows,
  reportEpoch,
  startDapWorld,
  sum,
  type World,
} from './suites/dap-product-suite.ts';

const DAY = 86_400;
let w: World;

beforeAll(async () => {
  w = await startDapWorld({
    freshUnionDb: freshPglite,
    freshRoleDb: freshPgliteDb,
    centralEpsilon: 8,
    noiseSeeds: { leader: 17, helper: 29 },
  });
}, 120_000);
afterAll(() => w.close());

describe('the union as the DAP collector, central noise on', () => {
  it('publishes the noisy sums the aggregators released, with the calibration’s standard errors', async () => {
    w.t.clock.set((w.e + DAY + 3600) * 1000);
    await reportEpoch(w, w.e);
    const published = await collectThrough(w, w.e);
    expect(published.map((p) => p.epochStart)).toEqual([w.d0, w.e]);

    const noise = releasedNoise(w.configs[1]!);
    const rows = await productRows(w, w.e);
    const shown = rows.filter((r): r is PublishedRow => !r.suppressed);
    expect(shown.length).toBeGreaterThan(0);
    for (const row of shown) {
      expect(row).toMatchObject({
        mode: 'dap',
        visits_total_se: roundTo(Math.sqrt(noise.visits), 2),
        active_seconds_total_se: roundTo(60 * Math.sqrt(noise.activeMinutes), 2),
      });
      expect(Number.isInteger(row.visits_total)).toBe(true);
      expect(Number.isInteger(row.contributors)).toBe(true);
    }
    const first = shown.find((r) => r.category_id === w.configs[1]!.categories[0]!.id);
    expect(first).toBeDefined();
    // Noise is there: the released totals are not the plain sums, and lie within ten σ of them.
    const [visits, seconds] = [first!.visits_total, first!.active_seconds_total];
    expect([visits, seconds]).not.toEqual([sum(1), 60 * sum(2)]);
    expect(Math.abs(visits - sum(1))).toBeLessThan(10 * Math.sqrt(noise.visits));
    expect(Math.abs(seconds - 60 * sum(2))).toBeLessThan(10 * 60 * Math.sqrt(noise.activeMinutes));
  });
});
