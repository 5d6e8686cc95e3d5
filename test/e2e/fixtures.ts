/**
 * Playwright fixture that loads the built extension (`dist/` by default, or the test-hook build
 * `dist-e2e/` with `test.use({ extensionDir: distE2eDir })`) into a fresh Chromium profile,
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
/** `npm run build:e2e`: production code plus the test hooks, union at 127.0.0.1:18787. */
export const distE2eDir = path.resolve(import.meta.dirname, '../../dist-e2e');

export interface ExtensionOptions {
  /** Which build to load. */
  extensionDir: string;
  /** Extra Chromium flags, e.g. `--host-resolver-rules=…`. */
  extraArgs: string[];
}

export interface ExtensionFixtures {
  context: BrowserContext;
  serviceWorker: Worker;
  extensionId: string;
  openExtensionPage: (pagePath: string) => Promise<Page>;
}

export const test = base.extend<ExtensionFixtures & ExtensionOptions>({
  extensionDir: [distDir, { option: true }],
  extraArgs: [[], { option: true }],
  context: async ({ extensionDir, extraArgs }, use) => {
    if (!existsSync(path.join(extensionDir, 'manifest.json'))) {
      const script = extensionDir === distE2eDir ? 'npm run build:e2e' : 'npm run build';
      throw new Error(
        `${path.basename(extensionDir)}/ has no built extension: run \`${script}\` before the e2e tests.`,
      );
    }
    const context = await chromium.launchPersistentContext('', {
      executablePath: chromiumPath(),
      channel: 'chromium',
      headless: true,
      args: [
        ...quietChromiumArgs,
        `--disable-extensions-except=${extensionDir}`,
        `--load-extension=${extensionDir}`,
        ...extraArgs,
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
