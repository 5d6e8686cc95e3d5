/**
 * Where the service worker has its DAP uploads sharded and sealed (`extension/dap/dap-crypto.ts`):
 * in Chrome, an offscreen document created when a report is built and closed after it, which runs
 * the Prio3/HPKE worker (a Chrome service worker can neither `import()` nor start a worker); in
 * Firefox, whose background is an event page (a document), that worker is started directly. Either
 * way the worker's start never loads the Prio3 code.
 */
import browser from 'webextension-polyfill';

import type { DapCrypto } from '../extension/dap/dap-crypto.ts';
import { dapCryptoOver, localWorkerDapCrypto } from './dap-offscreen/worker-crypto.ts';

/** The part of `chrome.offscreen` used here (Chrome 116+; the polyfill does not type it). */
interface OffscreenApi {
  hasDocument(): Promise<boolean>;
  createDocument(options: { url: string; reasons: string[]; justification: string }): Promise<void>;
  closeDocument(): Promise<void>;
}

const DAP_OFFSCREEN_PATH = 'background/dap-offscreen/index.html';

function chromeOffscreen(): OffscreenApi | null {
  const chrome = (globalThis as { chrome?: { offscreen?: OffscreenApi } }).chrome;
  return chrome?.offscreen ?? null;
}

function offscreenDapCrypto(offscreen: OffscreenApi): DapCrypto {
  let opening: Promise<void> | null = null;
  const open = () =>
    (opening ??= (async () => {
      if (await offscreen.hasDocument()) return;
      await offscreen.createDocument({
        url: DAP_OFFSCREEN_PATH,
        reasons: ['WORKERS'],
        justification: 'Builds the encrypted, secret-shared report (Prio3, HPKE) in a worker.',
      });
    })().finally(() => {
      opening = null;
    }));
  return dapCryptoOver(
    async (request) => {
      await open();
      return browser.runtime.sendMessage(request);
    },
    async () => {
      // The document lives only while a report is being built.
      if (await offscreen.hasDocument()) await offscreen.closeDocument();
    },
  );
}

/** This browser's report builder host. */
export function dapCryptoHost(): DapCrypto {
  const offscreen = chromeOffscreen();
  return offscreen ? offscreenDapCrypto(offscreen) : localWorkerDapCrypto();
}
