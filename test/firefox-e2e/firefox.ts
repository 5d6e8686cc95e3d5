/**
 * Launches Debian's `firefox-esr` headless over WebDriver BiDi (puppeteer-core) with an unpacked
 * Firefox build of the extension installed as a temporary add-on, and drives what only the
 * browser's own chrome can do. A missing Firefox is a failure with a sentence saying how to
 * install it, never a silent skip.
 *
 * Firefox 153 only lets WebDriver open `moz-extension://` pages, and evaluate in the browser's
 * own window, with `--remote-allow-system-access`. The add-on's internal UUID is fixed through
 * `extensions.webextensions.uuids`, so its pages have a known address.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

import puppeteer, { type Browser, type Page } from 'puppeteer-core';

import { GECKO_ID } from '../../build-firefox.ts';

/** `npm run build:firefox-e2e`: the Firefox build with the test hooks, union at 127.0.0.1:18787. */
export const distFirefoxE2eDir = path.resolve(import.meta.dirname, '../../dist-firefox-e2e');
const ADDON_UUID = '6b1f3c2e-5a1d-4c0e-9b7f-c0ffee000018';
export const addonOrigin = `moz-extension://${ADDON_UUID}`;

export function firefoxPath(): string {
  const candidates = [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'];
  for (const candidate of candidates) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  throw new Error(
    'Firefox was not found. Install it with `sudo apt-get install -y firefox-esr` (Debian/Ubuntu) ' +
      'or set FIREFOX_PATH to a Firefox 140 or newer binary, then run the tests again.',
  );
}

export interface FirefoxOptions {
  /** Host names Firefox resolves to 127.0.0.1 (`network.dns.localDomains`); no internet needed. */
  localHosts?: readonly string[];
}

/** Firefox with `extensionDir` installed; close it with `browser.close()`. */
export async function launchFirefox(
  extensionDir: string,
  { localHosts = [] }: FirefoxOptions = {},
): Promise<Browser> {
  if (!existsSync(path.join(extensionDir, 'manifest.json'))) {
    throw new Error(
      `${path.basename(extensionDir)}/ has no built extension: run \`npm run build:firefox-e2e\` first.`,
    );
  }
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: ADDON_UUID }),
      'network.dns.localDomains': localHosts.join(','),
      // Plain-http test pages stay plain http.
      'dom.security.https_first': false,
      'dom.security.https_only_mode': false,
    },
  });
  await browser.installExtension(extensionDir);
  return browser;
}

/**
 * Opens an extension page (`popup/index.html`, …) in a new tab once it has loaded. Firefox's
 * WebDriver never reports a `moz-extension://` navigation as finished, so the page's own
 * readiness is awaited instead.
 */
export async function openAddonPage(browser: Browser, pagePath: string): Promise<Page> {
  const page = await browser.newPage();
  const url = `${addonOrigin}/${pagePath}`;
  page.goto(url).catch(() => undefined);
  for (let attempt = 0; attempt < 200; attempt++) {
    // Evaluating while the tab swaps documents can fail: that is "not loaded yet".
    const loaded = await page
      .evaluate((expected) => location.href === expected && document.readyState === 'complete', url)
      .catch(() => false);
    if (loaded) return inFront(page);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} did not load in Firefox`);
}

/**
 * The onboarding tab the add-on opens itself on install, once loaded, in front. Only the tab in
 * front gets clicks: Firefox throttles a background tab's rendering, so a click waiting for its
 * element to be in view never comes.
 */
export async function firstRunTab(browser: Browser): Promise<Page> {
  const url = `${addonOrigin}/popup/onboarding/index.html`;
  for (let attempt = 0; attempt < 200; attempt++) {
    for (const page of await browser.pages()) {
      const loaded = await page
        .evaluate(
          (expected) => location.href === expected && document.readyState === 'complete',
          url,
        )
        .catch(() => false);
      if (loaded) return inFront(page);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the add-on did not open its onboarding tab on install');
}

async function inFront(page: Page): Promise<Page> {
  await page.setViewport({ width: 400, height: 640 });
  await page.bringToFront();
  return page;
}

interface BidiConnection {
  send(method: string, params: object): Promise<{ result: unknown }>;
}

/** Evaluates `expression` in the browser's own window (privileged; needs system access). */
export async function inBrowserChrome(browser: Browser, expression: string): Promise<unknown> {
  const connection = (browser as unknown as { connection: BidiConnection }).connection;
  const tree = (await connection.send('browsingContext.getTree', { 'moz:scope': 'chrome' }))
    .result as { contexts: { context: string; url: string }[] };
  const window = tree.contexts.find((c) => c.url === 'chrome://browser/content/browser.xhtml');
  if (!window) throw new Error('Firefox has no browser window to evaluate in');
  const answer = (
    await connection.send('script.evaluate', {
      expression,
      target: { context: window.context },
      awaitPromise: true,
    })
  ).result as { type: string; result?: { value?: unknown }; exceptionDetails?: { text: string } };
  if (answer.type !== 'success') throw new Error(`in Firefox: ${answer.exceptionDetails?.text}`);
  return answer.result?.value;
}

/**
 * Answers Firefox's own add-on permission prompt (the doorhanger `permissions.request` opens),
 * exactly as the member's click on "Allow" or "Don't allow" would. Resolves to the prompt's
 * text; waits for the prompt to appear.
 */
export async function answerPermissionPrompt(
  browser: Browser,
  answer: 'allow' | 'deny',
): Promise<string> {
  const button = answer === 'allow' ? 'button' : 'secondaryButton';
  const text = await inBrowserChrome(
    browser,
    `(async () => {
      for (let i = 0; i < 200; i++) {
        const prompt = PopupNotifications.panel.querySelector('#addon-webext-permissions-notification');
        if (prompt) {
          const text = prompt.textContent;
          prompt.${button}.click();
          return text;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('no add-on permission prompt appeared');
    })()`,
  );
  return String(text);
}

/**
 * Withdraws `browsingActivity` the way the add-on's page in about:addons does (Firefox's
 * `ExtensionPermissions.remove`, which fires the add-on's `permissions.onRemoved`).
 */
export async function withdrawBrowsingActivity(browser: Browser): Promise<void> {
  await inBrowserChrome(
    browser,
    `(async () => {
      const { ExtensionPermissions } = ChromeUtils.importESModule(
        'resource://gre/modules/ExtensionPermissions.sys.mjs',
      );
      const extension = WebExtensionPolicy.getByID(${JSON.stringify(GECKO_ID)}).extension;
      await ExtensionPermissions.remove(
        ${JSON.stringify(GECKO_ID)},
        { permissions: [], origins: [], data_collection: ['browsingActivity'] },
        extension,
      );
    })()`,
  );
}

/** Unloads the add-on's event page, as Firefox does after it has been idle. */
export async function unloadEventPage(browser: Browser): Promise<void> {
  await inBrowserChrome(
    browser,
    `WebExtensionPolicy.getByID(${JSON.stringify(GECKO_ID)}).extension.terminateBackground()`,
  );
}
