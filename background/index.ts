/**
 * MV3 service worker entry. Listeners are registered synchronously at top level (the worker can be
 * started by any event and killed after 30 s idle); every handler awaits one lazy `ready` promise.
 * Wiring only: logic lives in `extension/`.
 */
// First: zod must never try `new Function` under the MV3 CSP (see the module).
import '../extension/app/zod-config.ts';

import browser, { type Runtime } from 'webextension-polyfill';

import { cryptoRandom } from '../extension/aggregator/report-counts.ts';
import { isAlarmName } from '../extension/app/app-deps.ts';
import { createCrowdsell } from '../extension/app/crowdsell.ts';
import { DEVELOPMENT_LIMITS, STORE_LIMITS } from '../extension/protocol/privacy-budget.ts';
import { openCrowdsellDb } from '../extension/storage/database.ts';
import { alarmScheduler } from './alarm-scheduler.ts';
import { guardDataCollection, nativeDataCollectionPermissions } from './data-collection-guard.ts';
import { IDLE_SECONDS, currentForeground } from './foreground.ts';
import { dapCryptoHost } from './offscreen-dap-crypto.ts';
import { createRouter, type RouterOptions } from './router.ts';
import { createTestHooks } from './test-hooks.ts';
import { parseUnionSettings } from './union-settings.ts';

const now = () => Date.now();

const crowdsell = createCrowdsell({
  openDb: () => openCrowdsellDb(),
  settings: parseUnionSettings(import.meta.env),
  now,
  random: cryptoRandom(crypto),
  crypto,
  fetch: (input, init) => fetch(input, init),
  scheduler: alarmScheduler(browser.alarms, now),
  extensionVersion: browser.runtime.getManifest().version,
  testHooks: import.meta.env.MODE === 'e2e',
  // Only `vite build` (mode production) is a store build; dev and e2e builds allow short epochs
  // and a small k and say so in the popup. The packager refuses a build carrying them.
  privacyLimits: import.meta.env.MODE === 'production' ? STORE_LIMITS : DEVELOPMENT_LIMITS,
  // The Prio3/HPKE code runs in a worker started only when a report is built.
  dapCrypto: dapCryptoHost(),
});

const routerOptions: RouterOptions = {
  extensionId: browser.runtime.id,
  extensionOrigin: browser.runtime.getURL(''),
  ready: () => crowdsell.ready(),
};
const route = createRouter(crowdsell.handlers, routerOptions);
// Compiled out of production builds: the condition is a constant there.
const testHooks =
  import.meta.env.MODE === 'e2e' ? createTestHooks(crowdsell, routerOptions) : undefined;

function run(task: () => Promise<unknown>): void {
  task().catch((error: unknown) => console.error('Crowdsell:', error));
}

function refreshAttention(reanchor = false): void {
  run(async () =>
    crowdsell.onAttention({ foreground: await currentForeground(browser), reanchor }),
  );
}

browser.runtime.onMessage.addListener(
  (message: unknown, sender: Runtime.MessageSender) =>
    testHooks?.(message, sender) ?? route(message, sender),
);

browser.tabs.onUpdated.addListener((_tabId, changeInfo, tab) => {
  if (changeInfo.status !== 'complete' || !tab.url) return;
  const page = { url: tab.url, incognito: tab.incognito };
  run(() => crowdsell.onPageLoaded(page));
  if (tab.active) refreshAttention();
});
browser.tabs.onActivated.addListener(() => refreshAttention());
browser.windows.onFocusChanged.addListener(() => refreshAttention());
browser.idle.setDetectionInterval(IDLE_SECONDS);
browser.idle.onStateChanged.addListener((state) => {
  if (state === 'active') return refreshAttention();
  // "idle" is reported IDLE_SECONDS after the last input: the attention ended back then.
  const endedAtMs = state === 'idle' ? now() - IDLE_SECONDS * 1000 : undefined;
  run(() => crowdsell.onAttention({ foreground: null, endedAtMs }));
});
browser.alarms.onAlarm.addListener(({ name }) => {
  // An alarm this version does not know (left by an older one) wakes nothing.
  if (!isAlarmName(name)) return;
  if (name === 'attention-tick') return refreshAttention(true);
  run(() => crowdsell.onAlarm(name));
});
browser.runtime.onStartup.addListener(() => run(() => crowdsell.onBrowserStartup()));
// Firefox: no category stays on without the `browsingActivity` data-collection permission.
guardDataCollection(
  nativeDataCollectionPermissions(),
  () => crowdsell.onDataCollectionRevoked(),
  run,
);
browser.runtime.onInstalled.addListener(({ reason }) => {
  // First run: create the key and arm the alarms, and open the onboarding page (consent first).
  run(() => crowdsell.ready());
  if (reason === 'install') run(() => browser.tabs.create({ url: 'popup/onboarding/index.html' }));
});
