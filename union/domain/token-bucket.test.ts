import { describe, expect, it } from 'vitest';

import { TokenBuckets } from './token-bucket.ts';

describe('token buckets', () => {
  it('allow a burst of capacity, then refill at capacity per period', () => {
    let now = 0;
    const buckets = new TokenBuckets({ capacity: 3, periodMs: 60_000, now: () => now });
    expect([1, 2, 3].map(() => buckets.take('ip'))).toEqual([0, 0, 0]);
    expect(buckets.take('ip')).toBe(20_000);
    expect(buckets.take('other')).toBe(0);
    now += 20_000;
    expect(buckets.take('ip')).toBe(0);
    expect(buckets.take('ip')).toBeGreaterThan(0);
  });

  it('a capacity of 0 switches the limit off', () => {
    const buckets = new TokenBuckets({ capacity: 0, periodMs: 1000 });
    expect(buckets.enabled).toBe(false);
    for (let i = 0; i < 100; i++) expect(buckets.take('x')).toBe(0);
  });

  it('forgets keys that have refilled, so memory stays bounded', () => {
    let now = 0;
    const buckets = new TokenBuckets({ capacity: 2, periodMs: 1000, now: () => now });
    for (let i = 0; i < 100; i++) buckets.take(`k${i}`);
    expect(buckets.size).toBe(100);
    now += 5000;
    buckets.take('fresh');
    expect(buckets.size).toBe(1);
  });
});
