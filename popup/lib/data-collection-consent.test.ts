import { describe, expect, it } from 'vitest';

import {
  consentForCategory,
  nativePermissions,
  type DataCollectionPermissions,
} from './data-collection-consent.ts';

/** A fake Firefox permissions API that answers each request with `answer`. */
function fakePermissions(answer: () => Promise<boolean>) {
  const requests: unknown[] = [];
  const api: DataCollectionPermissions = {
    request(permissions) {
      requests.push(permissions);
      return answer();
    },
  };
  return { api, requests };
}

describe('Firefox data-collection consent for categories', () => {
  it('asks for browsingActivity synchronously, inside the click, before anything is awaited', () => {
    const { api, requests } = fakePermissions(() => Promise.resolve(true));
    void consentForCategory(api, true);
    expect(requests).toEqual([{ data_collection: ['browsingActivity'] }]);
  });

  it('lets the category be switched on when the member grants it', async () => {
    const { api } = fakePermissions(() => Promise.resolve(true));
    await expect(consentForCategory(api, true)).resolves.toBe('allowed');
  });

  it('keeps the category off when the member declines', async () => {
    const { api } = fakePermissions(() => Promise.resolve(false));
    await expect(consentForCategory(api, true)).resolves.toBe('declined');
  });

  it('keeps the category off when the browser fails to ask', async () => {
    const { api } = fakePermissions(() => Promise.reject(new Error('not from a user gesture')));
    await expect(consentForCategory(api, true)).resolves.toBe('failed');
  });

  it('never asks when a category is switched off', async () => {
    const { api, requests } = fakePermissions(() => Promise.resolve(false));
    await expect(consentForCategory(api, false)).resolves.toBe('allowed');
    expect(requests).toEqual([]);
  });

  it('changes nothing in Chromium, which has no native permissions API', async () => {
    expect(nativePermissions({})).toBeUndefined();
    await expect(consentForCategory(nativePermissions({}), true)).resolves.toBe('allowed');
  });

  it('treats a browser that rejects the data_collection key outright as one without the consent', async () => {
    const api: DataCollectionPermissions = {
      request() {
        throw new TypeError('Unexpected property "data_collection"');
      },
    };
    await expect(consentForCategory(api, true)).resolves.toBe('allowed');
  });

  it('uses the browser’s own permissions API when there is one', () => {
    const { api } = fakePermissions(() => Promise.resolve(true));
    expect(nativePermissions({ browser: { permissions: api } })).toBe(api);
  });
});
