import { describe, expect, it, vi } from 'vitest';

import {
  guardDataCollection,
  nativeDataCollectionPermissions,
  type DataCollectionPermissions,
} from './data-collection-guard.ts';

type Removed = { data_collection?: string[] };

/** A stand-in for Firefox's `browser.permissions`, with a way to fire `onRemoved`. */
function firefoxPermissions(contains: DataCollectionPermissions['contains']) {
  const listeners: ((removed: Removed) => void)[] = [];
  const asked = vi.fn(contains);
  const permissions: DataCollectionPermissions = {
    contains: asked,
    onRemoved: { addListener: (listener) => listeners.push(listener) },
  };
  return { permissions, asked, remove: (removed: Removed) => listeners.forEach((l) => l(removed)) };
}

/** Runs the guard and collects its tasks so a test can await them. */
function startGuard(permissions: DataCollectionPermissions | undefined) {
  const switchOff = vi.fn(() => Promise.resolve());
  const tasks: Promise<unknown>[] = [];
  guardDataCollection(permissions, switchOff, (task) => tasks.push(task()));
  const settled = () => Promise.all(tasks);
  return { switchOff, settled };
}

describe('data-collection guard', () => {
  it('leaves the categories alone while Firefox says browsingActivity is granted', async () => {
    const { permissions, asked, remove } = firefoxPermissions(() => Promise.resolve(true));
    const { switchOff, settled } = startGuard(permissions);
    remove({ data_collection: ['browsingActivity'] });
    await settled();
    expect(asked).toHaveBeenCalledTimes(2);
    expect(asked).toHaveBeenCalledWith({ data_collection: ['browsingActivity'] });
    expect(switchOff).not.toHaveBeenCalled();
  });

  it('switches the categories off at worker start when the permission is missing', async () => {
    const { permissions } = firefoxPermissions(() => Promise.resolve(false));
    const { switchOff, settled } = startGuard(permissions);
    await settled();
    expect(switchOff).toHaveBeenCalledTimes(1);
  });

  it('switches the categories off when the member withdraws browsingActivity', async () => {
    let granted = true;
    const { permissions, remove } = firefoxPermissions(() => Promise.resolve(granted));
    const { switchOff, settled } = startGuard(permissions);
    await settled();
    expect(switchOff).not.toHaveBeenCalled();

    granted = false;
    remove({ data_collection: ['technicalAndInteraction'] });
    await settled();
    expect(switchOff).not.toHaveBeenCalled();
    remove({ data_collection: ['browsingActivity'] });
    await settled();
    expect(switchOff).toHaveBeenCalledTimes(1);
  });

  it('does nothing in a Chromium-like browser that rejects or throws on data_collection', async () => {
    for (const contains of [
      () => Promise.reject(new Error('Unexpected property "data_collection"')),
      () => {
        throw new TypeError('Unexpected property "data_collection"');
      },
    ]) {
      const { permissions } = firefoxPermissions(contains);
      const { switchOff, settled } = startGuard(permissions);
      await settled();
      expect(switchOff).not.toHaveBeenCalled();
    }
  });

  it('uses only a native browser.permissions, and does nothing without one', async () => {
    expect(nativeDataCollectionPermissions({})).toBeUndefined();
    expect(nativeDataCollectionPermissions({ browser: {} })).toBeUndefined();
    const { permissions } = firefoxPermissions(() => Promise.resolve(false));
    expect(nativeDataCollectionPermissions({ browser: { permissions } })).toBe(permissions);
    const { switchOff, settled } = startGuard(undefined);
    await settled();
    expect(switchOff).not.toHaveBeenCalled();
  });
});
