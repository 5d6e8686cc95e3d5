/**
 * Helpers for the popup e2e specs: find the onboarding tab the extension opens on install, open
 * the popup at its real size (optionally as a member who has joined), save a screenshot per
 * screen, and start a second fresh profile.
 */
import path from 'node:path';

import { chromium, type BrowserContext, type Page } from '@playwright/test';

import { chromiumPath, quietChromiumArgs } from './chromium.ts';
import { call, waitFor } from './extension-helpers.ts';

export const screenshotDir = path.resolve(import.meta.dirname, '../../test-results/screenshots');
export const POPUP_SIZE = { width: 360, height: 560 };

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

/** The onboarding tab that `runtime.onInstalled` (reason "install") opened. */
export async function onboardingTab(context: BrowserContext): Promise<Page> {
  const page = await waitFor(
    () =>
      Promise.resolve(context.pages().find((p) => p.url().includes('popup/onboarding/index.html'))),
    'the onboarding tab',
  );
  await page.waitForLoadState();
  return page;
}

export async function openPopup(context: BrowserContext, extensionId: string): Promise<Page> {
  const page = await context.newPage();
  await page.setViewportSize(POPUP_SIZE);
  await page.goto(`chrome-extension://${extensionId}/popup/index.html`);
  return page;
}

/** The popup of a member who has consented and joined (through the service worker's API). */
export async function openJoinedPopup(context: BrowserContext, extensionId: string): Promise<Page> {
  const popup = await openPopup(context, extensionId);
  await call(popup, 'giveConsent', {});
  await call(popup, 'join', {});
  return popup;
}

/** A second, fresh profile with the same build (as on a new device). */
export async function launchFreshProfile(extensionDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext('', {
    executablePath: chromiumPath(),
    channel: 'chromium',
    headless: true,
    args: [
      ...quietChromiumArgs,
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
    ],
  });
}
