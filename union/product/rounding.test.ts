import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { COUNT_STEP, publishedCount } from './rounding.ts';

describe('publishedCount', () => {
  it('rounds to the nearest multiple of 10 (halves up), never below k', () => {
    expect([50, 54, 55, 59, 1234].map((n) => publishedCount(n, 50).value)).toEqual([
      50, 50, 60, 60, 1230,
    ]);
    expect(publishedCount(52, 52).value).toBe(52); // the floor at k
    expect([2, 3, 5].map((n) => publishedCount(n, 2).value)).toEqual([2, 4, 6]); // k below 10
  });

  it('is monotone, at least k, and its max bounds every count that rounds to it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.nat(10_000), (k, extra) => {
        const n = k + extra;
        const shown = publishedCount(n, k);
        expect(shown.value).toBeGreaterThanOrEqual(k);
        expect(shown.max).toBeGreaterThanOrEqual(n);
        expect(Math.abs(shown.value - n)).toBeLessThanOrEqual(Math.max(COUNT_STEP, k));
        expect(publishedCount(n + 1, k).value).toBeGreaterThanOrEqual(shown.value);
      }),
      { seed: 15, numRuns: 500 },
    );
  });
});
