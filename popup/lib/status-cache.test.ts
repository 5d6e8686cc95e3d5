import { describe, expect, it } from 'vitest';

import { protocol } from '../../extension/protocol/messages.ts';
import { readCachedStatus, writeCachedStatus, type Status } from './status-cache.ts';

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    map,
  };
}

// Parsed with the protocol's own schema, so the fixture cannot drift from what the worker sends.
const status: Status = protocol.status.result.parse({
  version: '0.1.0',
  ready: true,
  address: '0x1111111111111111111111111111111111111111',
  consentGivenAt: 1_700_000_000_000,
  paused: null,
  recording: true,
  enabledCategories: 2,
  join: {
    member: '0x1111111111111111111111111111111111111111',
    status: 'active',
    requestedAt: 1,
    checkedAt: 2,
    lastError: null,
  },
  config: { version: 1, epochSeconds: 86_400, acceptedAt: 1, lastFetchAt: 2, lastError: null },
  openEpoch: null,
  outbox: { pending: 0, nextAttemptAt: null },
});

describe('popup status cache', () => {
  it('gives back the status it stored for the same extension version', () => {
    const storage = memoryStorage();
    writeCachedStatus(storage, status);
    expect(readCachedStatus(storage, '0.1.0')).toEqual(status);
  });

  it('drops a status stored by another extension version, whose shape may differ', () => {
    const storage = memoryStorage();
    writeCachedStatus(storage, status);
    expect(readCachedStatus(storage, '0.2.0')).toBeUndefined();
  });

  it('ignores a missing, corrupt or foreign-shaped cache entry', () => {
    const storage = memoryStorage();
    expect(readCachedStatus(storage, '0.1.0')).toBeUndefined();
    storage.setItem('crowdsell.popup.status', '{not json');
    expect(readCachedStatus(storage, '0.1.0')).toBeUndefined();
    storage.setItem('crowdsell.popup.status', JSON.stringify({ version: '0.1.0' }));
    expect(readCachedStatus(storage, '0.1.0')).toBeUndefined();
    storage.setItem('crowdsell.popup.status', JSON.stringify({ ...status, join: null }));
    expect(readCachedStatus(storage, '0.1.0')).toBeUndefined();
    expect(readCachedStatus(undefined, '0.1.0')).toBeUndefined();
  });

  it('does not throw when storage refuses a write', () => {
    const failing = {
      setItem: () => {
        throw new Error('quota');
      },
    };
    expect(() => writeCachedStatus(failing, status)).not.toThrow();
  });
});
