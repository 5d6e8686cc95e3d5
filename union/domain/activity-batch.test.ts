import { describe, expect, it } from 'vitest';

import { activityBatchEnd, DEFAULT_ACTIVITY_BATCH_SECONDS } from './activity-batch.ts';

describe('activityBatchEnd', () => {
  it('puts every report of a UTC day at the next midnight', () => {
    const day = (iso: string) => activityBatchEnd(Date.parse(iso), DEFAULT_ACTIVITY_BATCH_SECONDS);
    const midnight = Date.parse('2026-03-11T00:00:00Z');
    expect(day('2026-03-10T00:00:00Z')).toBe(midnight);
    expect(day('2026-03-10T10:20:07.123Z')).toBe(midnight);
    expect(day('2026-03-10T23:59:59.999Z')).toBe(midnight);
    expect(day('2026-03-11T00:00:00Z')).toBe(Date.parse('2026-03-12T00:00:00Z'));
  });

  it('supports short batches for local demos and refuses a batch that is not whole seconds', () => {
    expect(activityBatchEnd(Date.parse('2026-03-10T10:20:07Z'), 60)).toBe(
      Date.parse('2026-03-10T10:21:00Z'),
    );
    expect(() => activityBatchEnd(0, 0)).toThrow(RangeError);
    expect(() => activityBatchEnd(0, 1.5)).toThrow(RangeError);
  });
});
