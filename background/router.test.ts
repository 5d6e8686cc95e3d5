import { describe, expect, it } from 'vitest';

import { createRouter, isTrustedSender, type Handlers } from './router.ts';

const options = {
  extensionId: 'abcdefghijklmnopabcdefghijklmnop',
  extensionOrigin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/',
  ready: Promise.resolve(),
};
const ownPage = { id: options.extensionId, url: `${options.extensionOrigin}popup/index.html` };
// The router only dispatches: a partial handler map is enough to test it.
const statusOnly = (status: () => Promise<unknown>) => ({ status }) as unknown as Handlers;
const handlers = statusOnly(() => Promise.resolve({ version: '1.2.3', ready: true }));
const request = { channel: 'crowdsell/v1', name: 'status', params: {} };

describe('message router', () => {
  it('answers a valid request from the extension’s own page', async () => {
    const route = createRouter(handlers, options);
    await expect(route(request, ownPage)).resolves.toEqual({
      ok: true,
      result: { version: '1.2.3', ready: true },
    });
  });

  it.each([
    [
      'another extension',
      { id: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz', url: 'chrome-extension://zzz/x' },
    ],
    ['a web page', { id: undefined, url: 'https://example.com/' }],
    [
      'a content script of ours on a web page',
      { id: options.extensionId, url: 'https://shop.example/' },
    ],
    ['a sender without a url', { id: options.extensionId }],
  ])('refuses %s with FORBIDDEN_SENDER', async (_label, sender) => {
    const route = createRouter(handlers, options);
    expect(isTrustedSender(sender, options)).toBe(false);
    await expect(route(request, sender)).resolves.toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
  });

  it.each([
    ['not an object', 'status', 'BAD_REQUEST'],
    ['a foreign channel', { channel: 'other', name: 'status', params: {} }, 'BAD_REQUEST'],
    ['an unknown name', { channel: 'crowdsell/v1', name: 'nope', params: {} }, 'UNKNOWN_MESSAGE'],
    [
      'a prototype key as name',
      { channel: 'crowdsell/v1', name: 'toString', params: {} },
      'UNKNOWN_MESSAGE',
    ],
    [
      'unexpected params',
      { channel: 'crowdsell/v1', name: 'status', params: { x: 1 } },
      'INVALID_PARAMS',
    ],
  ])('rejects %s with a stable code and a sentence', async (_label, message, code) => {
    const route = createRouter(handlers, options);
    const answer = await route(message, ownPage);
    expect(answer).toMatchObject({ ok: false, error: { code } });
    if (answer.ok) throw new Error('expected an error');
    expect(answer.error.message).toMatch(/\.$/);
  });

  it('hides internal errors behind a generic sentence', async () => {
    const route = createRouter(
      statusOnly(() => Promise.reject(new Error('secret detail 0xdeadbeef'))),
      options,
    );
    const answer = await route(request, ownPage);
    expect(answer).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(answer)).not.toContain('deadbeef');
  });

  it('waits for initialisation before running a handler', async () => {
    let release!: () => void;
    const ready = new Promise<void>((resolve) => (release = resolve));
    let ran = false;
    const route = createRouter(
      statusOnly(() => {
        ran = true;
        return Promise.resolve({ version: '1', ready: true });
      }),
      { ...options, ready },
    );
    const pending = route(request, ownPage);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(ran).toBe(false);
    release();
    await expect(pending).resolves.toMatchObject({ ok: true });
    expect(ran).toBe(true);
  });
});
