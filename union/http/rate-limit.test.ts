import { describe, expect, it } from 'vitest';

import { TokenBuckets } from '../domain/token-bucket.ts';
import { admitUpTo, RateLimitedError } from './rate-limit.ts';

describe('admitting a batch against several limits', () => {
  const setup = () => {
    let now = 0;
    const perMinute = new TokenBuckets({ capacity: 10, periodMs: 60_000, now: () => now });
    const perSecond = new TokenBuckets({ capacity: 4, periodMs: 1000, now: () => now });
    return { perMinute, perSecond, advance: (ms: number) => (now += ms) };
  };

  it('admits what the tightest limit allows and charges each limit per item', () => {
    const { perMinute, perSecond, advance } = setup();
    expect(admitUpTo([perMinute, perSecond], 'ip', 500)).toBe(4);
    expect(perMinute.available('ip')).toBe(6);
    expect(perSecond.available('ip')).toBe(0);
    advance(1000);
    expect(admitUpTo([perMinute, perSecond], 'ip', 3)).toBe(3);
    expect(perMinute.available('ip')).toBe(3);
  });

  it('refuses the whole request with the longest wait when nothing is left', () => {
    const { perMinute, perSecond } = setup();
    admitUpTo([perMinute, perSecond], 'ip', 4);
    let refused: unknown;
    try {
      admitUpTo([perMinute, perSecond], 'ip', 1);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfterSeconds).toBe(1);
    expect(admitUpTo([perMinute, perSecond], 'other ip', 2)).toBe(2);
  });

  it('admits everything when the limits are off', () => {
    const off = new TokenBuckets({ capacity: 0, periodMs: 1000 });
    expect(admitUpTo([off], 'ip', 500)).toBe(500);
  });
});
