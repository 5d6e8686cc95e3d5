import { describe, expect, it } from 'vitest';

import type { Crowdsell } from '../extension/app/crowdsell.ts';
import { createTestHooks, TEST_CHANNEL } from './test-hooks.ts';

const options = {
  extensionId: 'abcdefghijklmnopabcdefghijklmnop',
  extensionOrigin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/',
  ready: Promise.resolve(),
};
const ownPage = { id: options.extensionId, url: `${options.extensionOrigin}popup/index.html` };
// No config held yet: closing the epoch has nothing to report.
const crowdsell = {
  ready: () => Promise.resolve({ state: { config: undefined } }),
} as unknown as Crowdsell;

describe('test hooks (e2e builds only)', () => {
  const hooks = createTestHooks(crowdsell, options);

  it('leaves every other message to the router', () => {
    expect(hooks({ channel: 'crowdsell/v1', name: 'status', params: {} }, ownPage)).toBeUndefined();
  });

  it('answers the extension’s own pages', async () => {
    await expect(hooks({ channel: TEST_CHANNEL, name: 'closeEpochNow' }, ownPage)).resolves.toEqual(
      {
        ok: true,
        result: { reported: [], dropped: [] },
      },
    );
  });

  it('refuses web pages and unknown hooks', async () => {
    const page = { url: 'https://example.com/' };
    await expect(
      hooks({ channel: TEST_CHANNEL, name: 'closeEpochNow' }, page),
    ).resolves.toMatchObject({
      ok: false,
    });
    await expect(hooks({ channel: TEST_CHANNEL, name: 'nope' }, ownPage)).resolves.toMatchObject({
      ok: false,
    });
  });
});
