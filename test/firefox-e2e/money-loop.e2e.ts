/**
 * The money loop from the report to the withdrawal in a real Firefox, against a local union
 * started the way `npm start` starts it (own data folder, free ports, one-minute epochs): the
 * add-on (`dist-firefox-money-loop/`, built for that union with the test hooks) onboards and
 * joins with the baked app secret, switches Shopping on through Firefox's own
 * `browsingActivity` prompt, counts visits to local pages (News stays off), and at epoch end
 * the union accepts the signed report; a researcher buys on the Marketplace, the watcher
 * credits the revenue, a root is committed and, after the chain's clock passes the freeze, the
 * member withdraws from the Firefox popup to a fresh address, which then holds exactly the share
 * computed here from the price and the admin fee (one member).
 *
 * What Chromium alone covers (test/e2e/money-loop.spec.ts): the excluded site, the second
 * member, the recipient checks of the withdraw form and the researcher's k-anonymous download.
 * Run with `npm run test:firefox`. Screenshots: test-results/screenshots/firefox-money-loop-*.png.
 */
import path from 'node:path';

import { Wallet } from 'ethers';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';

import { connectRpc } from '../../contracts/chain.ts';
import { signedReportSchema } from '../../extension/protocol/wire.ts';
import { buildExtension, repoRoot } from '../../union/local/extension-build.ts';
import { startPageServer, waitFor, type PageServer } from '../e2e/extension-helpers.ts';
import {
  activateReporters,
  awaitCommittedShare,
  awaitRoomInEpoch,
  EPOCH_SECONDS,
  hosts,
  news,
  passFreeze,
  researcherBuysOneDay,
  shopping,
  startMoneyLoopUnion,
  withdrawalOutcome,
  type MoneyLoopUnion,
} from '../e2e/support/money-loop-steps.ts';
import { call, hook, openVisits } from './addon-messages.ts';
import {
  clickText,
  consentAndJoin,
  openPopupTab,
  screenshot,
  screenshotAll,
  switchOnGranted,
} from './addon-ui.ts';
import { launchFirefox } from './firefox.ts';

const outDir = 'dist-firefox-money-loop';

let union: MoneyLoopUnion | undefined;
let pages: PageServer | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  union = await startMoneyLoopUnion();
  buildExtension(union.local, { outDir, mode: 'e2e', quiet: true, browser: 'firefox' });
  pages = await startPageServer();
  browser = await launchFirefox(path.join(repoRoot, outDir), {
    localHosts: Object.values(hosts),
  });
}, 240_000);

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail' && browser) await screenshotAll(browser, 'money-loop-failed');
});

afterAll(async () => {
  await browser?.close();
  await pages?.close();
  await union?.close();
});

/** The texts of the "What was sent" entries once each says the union accepted it. */
async function acceptedEntries(popup: Page, count: number): Promise<string[]> {
  return waitFor(
    async () => {
      const texts = await popup.$$eval('[data-testid=sent-entry]', (entries) =>
        entries.map((entry) => entry.textContent ?? ''),
      );
      const accepted = texts.filter((text) => text.includes('accepted by the union'));
      return texts.length === count && accepted.length === count ? texts : undefined;
    },
    `${count} reports accepted by the union`,
    20_000,
  );
}

it('joins, is asked for browsingActivity, reports, is paid for a purchase and withdraws from the Firefox popup', async () => {
  const { local } = union!;
  const firefox = browser!;
  const chain = connectRpc(local.chainUrl);

  // 1. Onboarding and join (the app secret is baked in), then Shopping on through the prompt.
  await consentAndJoin(firefox);
  const popup = await openPopupTab(firefox);
  const { address: member } = await call(popup, 'keyAddress', {});
  expect((await call(popup, 'refreshConfig', {})).version).toBe(2);
  expect(await switchOnGranted(firefox, popup, shopping.id)).toMatch(/browsing activity/);

  // 2. Browse within one epoch (at least 20 s of the minute left, else the next one).
  await awaitRoomInEpoch(20_000);
  const tab = await firefox.newPage();
  for (const [host, pagePath] of [
    [hosts.shop, '/basket'],
    [hosts.shop, '/product/2'],
    [hosts.news, '/today'], // News is off
  ] as const) {
    await tab.goto(pages!.url(host, pagePath));
  }
  await waitFor(
    async () => ((await openVisits(popup, shopping.id)) === 2 ? true : undefined),
    'two shopping visits',
  );
  expect(await openVisits(popup, news.id)).toBe(0);
  const open = (await hook(popup, 'openTallies')) as { epochStart: number }[];
  expect(open).toHaveLength(1);
  const epochStart = open[0]!.epochStart;

  // 3. The epoch closes (test hook) and the union accepts the signed report.
  const closed = (await hook(popup, 'closeEpochNow')) as { reported: number[] };
  expect(closed.reported).toContain(epochStart);
  // A fresh popup tab, in front: Firefox does not render, so never clicks, a background tab.
  const sentView = await openPopupTab(firefox);
  await clickText(sentView, '[role=tab]', 'Sent');
  await acceptedEntries(sentView, closed.reported.length);
  await screenshot(sentView, 'money-loop-sent');
  const { entries } = await call(popup, 'sentLog', {});
  const reports = entries.map((e) => signedReportSchema.parse(JSON.parse(e.body)).report);
  const sent = reports.find((report) => report.epochStart === epochStart);
  expect(sent).toMatchObject({ member, epochStart, epochSeconds: EPOCH_SECONDS, configVersion: 2 });
  expect(sent?.counts.find((c) => c.category === shopping.id)?.visits).toBe(2);
  expect(sent?.counts.find((c) => c.category === news.id)).toBeUndefined();
  for (const { body } of entries) expect(body).not.toMatch(/crowdsell-|basket|today/);

  // 4. The member becomes active; the researcher buys; the share is the price minus the fee.
  await activateReporters(local);
  const { token, share } = await researcherBuysOneDay(local, chain, 1n);
  expect(share).toBeGreaterThan(0n);

  // 5. Credited, committed in a root, and usable once the chain's clock passes the freeze.
  await awaitCommittedShare(local, member, share);
  await passFreeze(local, member, share);

  // 6. In a freshly opened popup, withdraw everything to a fresh address; the union relays it.
  const recipient = Wallet.createRandom().address;
  const wallet = await openPopupTab(firefox);
  await clickText(wallet, '[role=tab]', 'Earnings');
  await wallet.locator('[data-testid=withdraw-amount]').wait();
  await wallet.locator('#withdraw-recipient').fill(recipient);
  await screenshot(wallet, 'money-loop-earnings');
  await wallet.locator('form button[type=submit]').click();
  await wallet.locator('[data-testid=withdraw-tx]').setTimeout(20_000).wait();
  await wallet.locator('::-p-text(Withdrawal confirmed.)').setTimeout(40_000).wait();
  await screenshot(wallet, 'money-loop-withdrawn');
  const { entries: requests } = await call(wallet, 'requestLog', {});
  const outcome = await withdrawalOutcome(local, token, { member, recipient }, requests);
  expect(outcome).toMatchObject({ received: share, withdrawn: share });
  expect(outcome.status).toBeLessThan(300);
  expect(outcome.body).toMatchObject({ request: { member, recipient } });
  chain.destroy();
}, 240_000);
