import { describe, expect, it } from 'vitest';

import { categoryTask } from '../protocol/dap-task.ts';
import { seededRandom } from '../protocol/noise-seeded-random.ts';
import { epochMeasurement, withLocalNoise } from './measurement.ts';

const task = categoryTask({
  categories: [{ id: 10 }, { id: 20 }, { id: 30 }],
  privacy: { maxVisits: 50, maxActiveSeconds: 14_400 },
});
const record = {
  epochStart: 0,
  epochSeconds: 86_400,
  tallies: {
    '10': { visits: 70, activeMs: 90_000 },
    '20': { visits: 3, activeMs: 0 },
    '30': { visits: 4, activeMs: 61_000 },
  },
};

describe('the DAP measurement of an epoch', () => {
  it('clips the categories that are on and gives zeros for those that are off, counted or not', () => {
    // 20 is off although it has tallies; 30 is on.
    expect(epochMeasurement(task, record, [10, 30])).toEqual([1, 50, 2, 0, 0, 0, 1, 4, 1]);
    expect(epochMeasurement(task, undefined, [10, 30])).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('adds local noise to every entry, zeros included, and stays inside the proof range', () => {
    const exact = epochMeasurement(task, record, [10]);
    const top = 2 ** task.vdaf.bits - 1;
    const random = seededRandom(7);
    let changedZeros = 0;
    for (let i = 0; i < 200; i++) {
      const noisy = withLocalNoise(task, exact, { epsilon: 0.5, random });
      expect(noisy).toHaveLength(exact.length);
      for (const value of noisy) {
        expect(Number.isInteger(value)).toBe(true);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(top);
      }
      if (noisy.slice(3).some((v) => v !== 0)) changedZeros += 1;
    }
    // An off category's zeros are noised too, so the noise does not tell which ones are on.
    expect(changedZeros).toBeGreaterThan(100);
  });
});
