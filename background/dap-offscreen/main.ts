/**
 * Chrome's DAP offscreen document: a Chrome MV3 service worker may neither `import()` (so it cannot
 * load the Prio3 code on demand) nor start a worker; this document can, so it relays the service
 * worker's shard and seal requests to the module worker that holds that code (`dap-worker.ts`).
 * It answers only messages addressed to it, from this extension; the service worker closes the
 * document after each report.
 */
import browser, { type Runtime } from 'webextension-polyfill';

import { DAP_OFFSCREEN_TARGET, relay, startDapWorker } from './relay.ts';

let worker: Worker | null = null;
let queue: Promise<unknown> = Promise.resolve();

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
  const addressed =
    typeof message === 'object' &&
    message !== null &&
    (message as { target?: unknown }).target === DAP_OFFSCREEN_TARGET;
  if (!addressed || sender.id !== browser.runtime.id) return undefined;
  const next = queue.then(() => relay((worker ??= startDapWorker()), message));
  queue = next.catch(() => undefined);
  return next;
});
