import { describe, expect, it } from 'vitest';

import { noisyValueRange } from '../protocol/privacy.ts';
import { clip, cryptoRandom, reportCounts } from './report-counts.ts';

const privacy = { epsilon: 2, maxVisits: 50, maxActiveSeconds: 14_400, kThreshold: 50 };
const record = {
  epochStart: 0,
  epochSeconds: 86_400,
  tallies: { '289': { visits: 75, activeMs: 61_900 } },
};

describe('report counts', () => {
  it('reports every switched-on category, zeros included, sorted by id', () => {
    const counts = reportCounts(record, [345, 289, 243], {
      privacy,
      noise: false,
      random: Math.random,
    });
    expect(counts).toEqual([
      { category: 243, visits: 0, activeSeconds: 0 },
      { category: 289, visits: 50, activeSeconds: 61 },
      { category: 345, visits: 0, activeSeconds: 0 },
    ]);
  });

  it('clips to the bounds', () => {
    expect(clip(75, 50)).toBe(50);
    expect(clip(-3, 50)).toBe(0);
  });

  it('adds noise inside the range the union accepts, with ε split over all values', () => {
    const random = cryptoRandom(globalThis.crypto);
    const visitsRange = noisyValueRange(privacy, privacy.maxVisits, 3);
    const secondsRange = noisyValueRange(privacy, privacy.maxActiveSeconds, 3);
    let differs = false;
    for (let i = 0; i < 200; i++) {
      for (const c of reportCounts(record, [243, 289, 345], { privacy, noise: true, random })) {
        expect(c.visits).toBeGreaterThanOrEqual(visitsRange.min);
        expect(c.visits).toBeLessThanOrEqual(visitsRange.max);
        expect(c.activeSeconds).toBeGreaterThanOrEqual(secondsRange.min);
        expect(c.activeSeconds).toBeLessThanOrEqual(secondsRange.max);
        if (c.category === 243 && c.visits !== 0) differs = true;
      }
    }
    expect(differs).toBe(true);
  });

  it('draws uniform numbers in [0, 1) from the CSPRNG', () => {
    const random = cryptoRandom(globalThis.crypto);
    const draws = Array.from({ length: 10_000 }, random);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });
});
