import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { epochStartOf, splitAtEpochs } from './epochs.ts';

describe('epochs', () => {
  it('aligns epochs to UTC', () => {
    const t = Date.UTC(2026, 10, 25, 13, 45, 10);
    expect(epochStartOf(t, 86_400)).toBe(Date.UTC(2026, 10, 25) / 1000);
    expect(epochStartOf(t, 3600)).toBe(Date.UTC(2026, 10, 25, 13) / 1000);
  });

  it('splits a span across epoch boundaries without losing or inventing time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2e12 }),
        fc.integer({ min: 0, max: 2 * 86_400_000 }),
        fc.constantFrom(600, 3600, 86_400),
        (from, length, epochSeconds) => {
          const slices = splitAtEpochs(from, from + length, epochSeconds);
          expect(slices.reduce((sum, s) => sum + s.ms, 0)).toBe(length);
          for (const slice of slices) expect(slice.ms).toBeLessThanOrEqual(epochSeconds * 1000);
          expect(new Set(slices.map((s) => s.epochStart)).size).toBe(slices.length);
        },
      ),
    );
  });
});
