/**
 * The WebExtension API for the popup and onboarding pages, without webextension-polyfill: Firefox
 * has a native promise-based `browser`, and Chromium's MV3 `chrome` returns promises for every call
 * these pages make (runtime.sendMessage, tabs.create; i18n.getMessage, runtime.getURL and
 * getManifest are synchronous). The polyfill would add 10 KB to the popup's first chunk for nothing.
 * The service worker keeps the polyfill.
 */
import type { Browser } from 'webextension-polyfill';

const global = globalThis as { browser?: Browser; chrome?: Browser };

export const browser: Browser = global.browser ?? (global.chrome as Browser);
