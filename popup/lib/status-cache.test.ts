import { describe, expect, it } from 'vitest';

import { readCachedStatus, writeCachedStatus } from './status-cache.ts';

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    map,
  };
}

describe('popup status cache', () => {
  it('ignores a missing, corrupt or foreign-shaped cache entry', () => {
    const storage = memoryStorage();
    expect(readCachedStatus(storage)).toBeUndefined();
    storage.setItem('crowdsell.popup.status', '{not json');
    expect(readCachedStatus(storage)).toBeUndefined();
    storage.setItem('crowdsell.popup.status', JSON.stringify({ version: 1 }));
    expect(readCachedStatus(storage)).toBeUndefined();
    expect(readCachedStatus(undefined)).toBeUndefined();
  });

  it('does not throw when storage refuses a write', () => {
    const failing = {
      setItem: () => {
        throw new Error('quota');
      },
    };
    expect(() => writeCachedStatus(failing, {} as never)).not.toThrow();
  });
});
