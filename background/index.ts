/**
 * MV3 service worker entry. Listeners are registered synchronously at top level (the worker can be
 * started by any event and killed after 30 s idle); every handler awaits one lazy `ready` promise.
 * Wiring only: logic lives in `extension/`.
 */
import browser, { type Runtime } from 'webextension-polyfill';

import { createRouter, type Handlers } from './router.ts';

const ready: Promise<void> = Promise.resolve();

const handlers = {
  status: async () => {
    await ready;
    return { version: browser.runtime.getManifest().version, ready: true };
  },
} satisfies Handlers;

const route = createRouter(handlers, {
  extensionId: browser.runtime.id,
  extensionOrigin: browser.runtime.getURL(''),
  ready,
});

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) =>
  route(message, sender),
);
