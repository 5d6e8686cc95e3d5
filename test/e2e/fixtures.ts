/**
 * Playwright fixture that loads the built extension (`dist/`) into a fresh Chromium profile,
 * learns the extension id from its service worker, and opens extension pages as tabs.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

import {
  test as base,
  chromium,
  type BrowserContext,
  type Page,
  type Worker,
} from '@playwright/test';

import { chromiumPath, quietChromiumArgs } from './chromium.ts';

export const distDir = path.resolve(import.meta.dirname, '../../dist');

export interface ExtensionFixtures {
  context: BrowserContext;
  serviceWorker: Worker;
  extensionId: string;
  openExtensionPage: (pagePath: string) => Promise<Page>;
}

export const test = base.extend<ExtensionFixtures>({
  // Playwright's fixture signature requires an object pattern even when no fixture is used.
  // eslint-disable-next-line no-empty-pattern
  context: async ({}, use) => {
    if (!existsSync(path.join(distDir, 'manifest.json'))) {
      throw new Error('dist/ has no built extension: run `npm run build` before the e2e tests.');
    }
    const context = await chromium.launchPersistentContext('', {
      executablePath: chromiumPath(),
      channel: 'chromium',
      headless: true,
      args: [
        ...quietChromiumArgs,
        `--disable-extensions-except=${distDir}`,
        `--load-extension=${distDir}`,
      ],
    });
    await use(context);
    await context.close();
  },
  serviceWorker: async ({ context }, use) => {
    const [existing] = context.serviceWorkers();
    const worker = existing ?? (await context.waitForEvent('serviceworker'));
    await use(worker);
  },
  extensionId: async ({ serviceWorker }, use) => {
    await use(new URL(serviceWorker.url()).host);
  },
  openExtensionPage: async ({ context, extensionId }, use) => {
    await use(async (pagePath: string) => {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/${pagePath}`);
      return page;
    });
  },
});

export const expect = test.expect;
