/**
 * Where the member's attention is: the active tab of the focused window, while the user is not
 * idle. Active time is counted only then (DESIGN §6 / issue 5).
 */
import type Browser from 'webextension-polyfill';

import type { PageView } from '../extension/app/recording.ts';

/** `chrome.idle` reports "idle" after this many seconds without input. */
export const IDLE_SECONDS = 60;

export async function currentForeground(browser: Browser.Browser): Promise<PageView | null> {
  const idle = await browser.idle.queryState(IDLE_SECONDS);
  if (idle !== 'active') return null;
  const win = await browser.windows.getLastFocused({ populate: true });
  if (!win.focused || win.incognito) return null;
  const tab = win.tabs?.find((t) => t.active);
  if (!tab?.url) return null;
  return { url: tab.url, incognito: tab.incognito };
}
