/** Published rows of a few simulated epochs (published, suppressed and split-bound cells). */
import { seededRandom } from '../../../extension/protocol/noise-seeded-random.ts';
import { aggregateEpoch } from '../aggregate.ts';
import { epochRows, type ProductRow } from '../product-row.ts';
import { config, simulatedCategories } from './fixtures.ts';
import { simulateEpoch } from './simulate.ts';

export function simulatedRows(epochs: number, seed = 1, firstEpoch = 1_767_225_600): ProductRow[] {
  const random = seededRandom(seed);
  // Two clip settings in use at once: the shopping cell splits; k = 30 suppresses small cells.
  const configs = [config(1, { kThreshold: 30 }), config(2, { kThreshold: 30, maxVisits: 100 })];
  const rows: ProductRow[] = [];
  for (let e = 0; e < epochs; e++) {
    const { input } = simulateEpoch({
      epochStart: firstEpoch + e * 86_400,
      epochSeconds: 86_400,
      members: 80 + Math.floor(random() * 200),
      categories: simulatedCategories,
      configs,
      configInForce: 2,
      random,
    });
    rows.push(...epochRows(aggregateEpoch(input)));
  }
  return rows;
}
