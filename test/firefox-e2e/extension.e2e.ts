/**
 * The extension in a real Firefox (`firefox-esr`, `dist-firefox-e2e/`): onboarding and consent
 * through the onboarding page's own buttons, join against a stand-in union on the e2e port,
 * Firefox's own `browsingActivity` prompt answered both ways, visits to local pages counted only
 * in switched-on categories, the event page unloaded mid-epoch, the report at epoch end shown in
 * "What was sent", and the permission withdrawn as about:addons does.
 *
 * Run alone: `npm run test:firefox`. Screenshots: test-results/screenshots/firefox-*.png.
 */
import type { Browser, Page } from 'puppeteer-core';
import { afterEach, beforeEach, expect, it } from 'vitest';

import { startFakeUnion, type FakeUnion } from '../../extension/testing/fake-union.ts';
import { categoryId, makeConfig, signConfig } from '../../extension/testing/fixtures.ts';
import {
  E2E_UNION_PORT,
  startPageServer,
  testHosts,
  waitFor,
  type PageServer,
} from '../e2e/extension-helpers.ts';
import { call, hook, openVisits } from './addon-messages.ts';
import {
  clickCategory,
  clickText,
  consentAndJoin,
  isOn,
  openPopupTab,
  screenshot,
  screenshotAll,
  switchOnGranted as switchOn,
} from './addon-ui.ts';
import {
  answerPermissionPrompt,
  distFirefoxE2eDir,
  launchFirefox,
  openAddonPage,
  unloadEventPage,
  withdrawBrowsingActivity,
} from './firefox.ts';

const shopping = categoryId('shopping');
const news = categoryId('news');

let union: FakeUnion;
let pages: PageServer;
let browser: Browser;

beforeEach(async () => {
  union = await startFakeUnion(E2E_UNION_PORT);
  union.config = await signConfig(makeConfig());
  pages = await startPageServer();
  browser = await launchFirefox(distFirefoxE2eDir, { localHosts: testHosts });
});

afterEach(async ({ task }) => {
  // What each tab showed when the test failed, for the reader of a red run.
  if (task.result?.state === 'fail') await screenshotAll(browser, `failed-${task.id}`);
  await browser.close();
  await union.close();
  await pages.close();
});

/** Consent and join, as a member does; the stand-in union sees one join. */
async function onboard(): Promise<Page> {
  const onboarding = await consentAndJoin(browser);
  expect(union.joins).toHaveLength(1);
  return onboarding;
}

async function grantedDataCollection(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const all = await (
      globalThis as unknown as {
        browser: { permissions: { getAll: () => Promise<{ data_collection?: string[] }> } };
      }
    ).browser.permissions.getAll();
    return all.data_collection ?? [];
  });
}

async function switchOnGranted(popup: Page, id: number): Promise<void> {
  expect(await switchOn(browser, popup, id)).toMatch(/browsing activity/);
}

async function visit(tab: Page, host: string, pagePath: string): Promise<void> {
  await tab.goto(pages.url(host, pagePath));
}

it('onboards, asks Firefox for browsingActivity, counts only switched-on categories across an event-page unload, and shows the sent report', async () => {
  await onboard();
  const popup = await openPopupTab(browser);
  expect(await grantedDataCollection(popup)).toEqual([]);
  await switchOnGranted(popup, shopping);
  expect(await grantedDataCollection(popup)).toEqual(['browsingActivity']);
  expect(await isOn(popup, news)).toBe(false);

  const tab = await browser.newPage();
  await visit(tab, 'crowdsell-shop.com', '/basket?item=1');
  await visit(tab, 'www.crowdsell-shop.com', '/product/2');
  await visit(tab, 'crowdsell-news.com', '/today'); // news is off
  await visit(tab, 'crowdsell-other.com', '/'); // not a category
  await waitFor(async () => ((await openVisits(popup, shopping)) === 2 ? true : undefined), '2');

  // Firefox unloads an idle event page: memory is gone, IndexedDB is not.
  const before = await hook(popup, 'instance');
  await unloadEventPage(browser);
  await visit(tab, 'crowdsell-shop.com', '/after-unload');
  await waitFor(async () => ((await openVisits(popup, shopping)) === 3 ? true : undefined), '3');
  expect(await hook(popup, 'instance')).not.toBe(before);
  expect(await openVisits(popup, news)).toBe(0);

  const closed = (await hook(popup, 'closeEpochNow')) as { reported: number[] };
  expect(closed.reported).toHaveLength(1);
  const body = await waitFor(() => Promise.resolve(union.reports[0]), 'a report at the union');
  const report = (
    JSON.parse(body) as { report: { counts: { category: number; visits: number }[] } }
  ).report;
  expect(report.counts).toEqual([expect.objectContaining({ category: shopping, visits: 3 })]);

  const sent = await call(popup, 'sentLog', {});
  expect(sent.entries.map((e) => e.body)).toEqual([body]);
  const reopened = await openAddonPage(browser, 'popup/index.html');
  await clickText(reopened, '[role=tab]', 'Sent');
  await reopened.locator('[data-testid=sent-entry]').wait();
  await screenshot(reopened, 'what-was-sent');
});

it('keeps a category off when the member declines Firefox’s prompt', async () => {
  await onboard();
  const popup = await openPopupTab(browser);
  await clickCategory(popup, shopping);
  await answerPermissionPrompt(browser, 'deny');
  await popup.locator('::-p-text(Firefox was not allowed to share your browsing activity)').wait();
  expect(await isOn(popup, shopping)).toBe(false);
  expect(await grantedDataCollection(popup)).toEqual([]);
  expect((await call(popup, 'status', {})).enabledCategories).toBe(0);
  await screenshot(popup, 'permission-declined');

  expect((await call(popup, 'status', {})).recording).toBe(false);
});

it('withdrawing browsingActivity in Firefox switches every category off and drops waiting reports', async () => {
  await onboard();
  const popup = await openPopupTab(browser);
  await switchOnGranted(popup, shopping);
  await clickCategory(popup, news); // already granted: Firefox answers without a prompt
  await waitFor(async () => ((await isOn(popup, news)) ? true : undefined), 'news on');
  const tab = await browser.newPage();
  await visit(tab, 'crowdsell-shop.com', '/');
  await waitFor(async () => ((await openVisits(popup, shopping)) === 1 ? true : undefined), '1');
  // The epoch's report waits for its random send time.
  expect(
    ((await hook(popup, 'closeEpochNow', { send: false })) as { reported: number[] }).reported,
  ).toHaveLength(1);
  expect((await call(popup, 'outboxStatus', {})).pending).toHaveLength(1);

  await withdrawBrowsingActivity(browser);
  await waitFor(
    async () => ((await call(popup, 'status', {})).enabledCategories === 0 ? true : undefined),
    'every category off',
  );
  expect((await call(popup, 'outboxStatus', {})).pending).toEqual([]);
  expect((await call(popup, 'listCategories', {})).dataCollectionRevokedAt).not.toBeNull();
  await hook(popup, 'sendWaitingNow');
  expect(union.reports).toEqual([]);
});
