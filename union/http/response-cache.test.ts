import { describe, expect, it } from 'vitest';

import { ResponseCache } from './response-cache.ts';

function setup(ttlMs = 1000, maxEntries = 100) {
  let now = 0;
  const cache = new ResponseCache({ ttlMs, maxEntries, now: () => now });
  let calls = 0;
  const read = (value: string) => () => {
    calls++;
    return Promise.resolve(value);
  };
  return { cache, read, calls: () => calls, advance: (ms: number) => (now += ms) };
}

describe('the short cache of public reads', () => {
  it('shares one computation between identical requests in flight', async () => {
    const { cache } = setup();
    let release: (v: string) => void = () => undefined;
    let calls = 0;
    const slow = () => {
      calls++;
      return new Promise<string>((r) => (release = r));
    };
    const a = cache.get('k', slow);
    const b = cache.get('k', slow);
    release('v');
    expect(await Promise.all([a, b])).toEqual(['v', 'v']);
    expect(calls).toBe(1);
  });

  it('keeps a success for the TTL on the injected clock, then reads again', async () => {
    const { cache, read, calls, advance } = setup(1000);
    expect(await cache.get('k', read('first'))).toBe('first');
    advance(999);
    expect(await cache.get('k', read('second'))).toBe('first');
    advance(1);
    expect(await cache.get('k', read('third'))).toBe('third');
    expect(calls()).toBe(2);
  });

  it('never keeps a failure', async () => {
    const { cache, read } = setup();
    await expect(cache.get('k', () => Promise.reject(new Error('rpc down')))).rejects.toThrow();
    expect(await cache.get('k', read('ok'))).toBe('ok');
  });

  it('forgets a key on demand, also while it is being computed', async () => {
    const { cache, read, calls } = setup();
    await cache.get('a', read('a1'));
    cache.invalidate('a');
    expect(await cache.get('a', read('a2'))).toBe('a2');
    let release: (v: string) => void = () => undefined;
    const pending = cache.get('b', () => new Promise<string>((r) => (release = r)));
    cache.invalidate();
    release('stale');
    await pending;
    expect(await cache.get('b', read('fresh'))).toBe('fresh');
    expect(calls()).toBe(3);
  });

  it('with a TTL of 0 only shares requests in flight', async () => {
    const { cache, read, calls } = setup(0);
    await cache.get('k', read('a'));
    await cache.get('k', read('b'));
    expect(calls()).toBe(2);
    expect(cache.size).toBe(0);
  });

  it('stays bounded, dropping the oldest entries first', async () => {
    const { cache, read } = setup(10_000, 2);
    for (const k of ['a', 'b', 'c']) await cache.get(k, read(k));
    expect(cache.size).toBe(2);
    expect(await cache.get('a', read('a again'))).toBe('a again');
    expect(await cache.get('c', read('c again'))).toBe('c');
  });
});
