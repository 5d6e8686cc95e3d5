/**
 * The whole money loop in real Chromium, twice: with plain signed reports (below) and through the
 * DAP aggregators (support/money-loop-through-aggregators.ts, issue 17). The plain one: against a local union started the way `npm start`
 * starts it (own data folder and ports): the extension onboards, consents, joins with the baked
 * app secret and opts in to two categories; visits to local pages are counted (an excluded site
 * is not); the epoch closes and the union accepts the signed report; a researcher buys on the
 * Marketplace; the watcher credits the revenue, a root is committed and, after the chain's clock
 * passes the freeze, the member withdraws from the popup to a fresh address, which then holds
 * exactly the share computed here from the price, the admin fee and the member count; finally the
 * researcher's download shows the member's categories only where the k threshold is met.
 */
import path from 'node:path';

import type { Page } from '@playwright/test';
import { Wallet } from 'ethers';

import { connectRpc } from '../../contracts/chain.ts';
import {
  demoWallet,
  fetchConfig,
  joinMember,
  postReports,
  simulatedReport,
} from '../../demo/simulated-members.ts';
import { signedReportSchema } from '../../extension/protocol/wire.ts';
import { buildExtension, repoRoot } from '../../union/local/extension-build.ts';
import {
  call,
  hook,
  hostResolverArgsFor,
  startPageServer,
  waitFor,
  type PageServer,
} from './extension-helpers.ts';
import { expect, test } from './fixtures.ts';
import { openPopup, screenshot } from './popup-helpers.ts';
import { onboardAndJoin, switchCategoriesOn } from './support/money-loop-popup.ts';
import { moneyLoopThroughAggregators } from './support/money-loop-through-aggregators.ts';
import {
  activateReporters,
  awaitAcceptanceWindow,
  downloadEpoch,
  awaitCommittedShare,
  awaitRoomInEpoch,
  domainOf,
  EPOCH_SECONDS,
  hosts,
  news,
  passFreeze,
  researcherBuysOneDay,
  shopping,
  startMoneyLoopUnion,
  withdrawalOutcome,
  type MoneyLoopUnion,
} from './support/money-loop-steps.ts';

const outDir = 'dist-money-loop';

let union: MoneyLoopUnion;
let pages: PageServer;

/** Minimal RFC 4180 reader for the product's CSV (no field here holds a comma or a quote). */
function parseCsv(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trim().split('\r\n');
  const names = header!.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(names.map((name, i) => [name, cells[i] ?? '']));
  });
}

async function visit(tab: Page, host: string, pagePath: string): Promise<void> {
  await tab.goto(pages.url(host, pagePath));
}

test.describe('with plain signed reports', () => {
  test.use({
    extensionDir: path.join(repoRoot, outDir),
    extraArgs: hostResolverArgsFor(Object.values(hosts)),
  });
  test.describe.configure({ timeout: 180_000 });

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    union = await startMoneyLoopUnion();
    buildExtension(union.local, { outDir, mode: 'e2e', quiet: true });
    pages = await startPageServer();
  });

  test.afterAll(async () => {
    await pages?.close();
    await union?.close();
  });

  test('member → report → purchase → root → gasless withdrawal → k-anonymous product', async ({
    context,
    extensionId,
  }) => {
    const { local } = union;
    const chain = connectRpc(local.chainUrl);

    // 1. Onboarding: disclosure, consent, join with the baked app secret.
    const onboarding = await onboardAndJoin(context);
    await screenshot(onboarding, 'money-loop-joined');

    const popup = await openPopup(context, extensionId);
    await hook(popup, 'setNoise', { enabled: false }); // exact counts, so they can be checked
    const { address: member } = await call(popup, 'keyAddress', {});
    expect((await call(popup, 'refreshConfig', {})).version).toBe(2);
    await switchCategoriesOn(popup, [/Shopping/, /News/]);
    await screenshot(popup, 'money-loop-categories');

    // An excluded site maps to Shopping in the config but must never count.
    await popup.getByRole('tab', { name: 'Sites' }).click();
    await popup.getByLabel('Site to exclude').fill(hosts.deals);
    await popup.getByRole('button', { name: 'Exclude', exact: true }).click();
    await expect(popup.getByRole('listitem').filter({ hasText: hosts.deals })).toBeVisible();

    // 2. Browse within one epoch: start with at least 20 s of the minute left (the visits take a
    // few seconds; what follows up to the download takes about as long as the rest of the epoch).
    await awaitRoomInEpoch(20_000);
    const tab = await context.newPage();
    await visit(tab, hosts.deals, '/coupon');
    await visit(tab, hosts.shop, '/basket');
    await visit(tab, hosts.shop, '/product/2');
    await visit(tab, hosts.news, '/today');
    type Tallies = { epochStart: number; tallies: Record<string, { visits: number }> }[];
    const visitsIn = (open: Tallies, id: number) =>
      open.reduce((sum, e) => sum + (e.tallies[String(id)]?.visits ?? 0), 0);
    const open = await waitFor(async () => {
      const now = (await hook(popup, 'openTallies')) as Tallies;
      return visitsIn(now, shopping.id) === 2 && visitsIn(now, news.id) === 1 ? now : undefined;
    }, 'two shopping visits and one news visit');
    expect(open).toHaveLength(1);
    const epochStart = open[0]!.epochStart;

    // 3. The epoch closes (test hook) and the union accepts the signed report. (Earlier epochs
    // since consent are reported too, with zero visits: a member's silence is data as well.)
    const closed = (await hook(popup, 'closeEpochNow')) as { reported: number[] };
    expect(closed.reported).toContain(epochStart);
    await popup.getByRole('tab', { name: 'Sent' }).click();
    const sentEntries = popup.getByTestId('sent-entry');
    await expect(sentEntries).toHaveCount(closed.reported.length);
    for (const entry of await sentEntries.all()) {
      await expect(entry).toContainText('accepted by the union', { timeout: 20_000 });
    }
    await screenshot(popup, 'money-loop-sent');
    const { entries } = await call(popup, 'sentLog', {});
    const sentBody = entries
      .map((e) => e.body)
      .find((body) => signedReportSchema.parse(JSON.parse(body)).report.epochStart === epochStart);
    const sent = signedReportSchema.parse(JSON.parse(sentBody!)).report;
    expect(sent).toMatchObject({
      member,
      epochStart,
      epochSeconds: EPOCH_SECONDS,
      configVersion: 2,
    });
    expect(sent.counts.find((c) => c.category === shopping.id)?.visits).toBe(2); // not the excluded 3rd
    expect(sent.counts.find((c) => c.category === news.id)?.visits).toBe(1);
    for (const { body } of entries) expect(body).not.toMatch(/crowdsell-|basket|coupon|today/); // no host or path leaves

    // A second member (the extension core's code in Node) reports Shopping only for the same epoch.
    const domain = domainOf(local);
    const other = demoWallet(424_242);
    await joinMember(local.unionUrl, domain, other, local.appSecret);
    const otherReport = await simulatedReport(
      { wallet: other, categories: [shopping.id] },
      await fetchConfig(local.unionUrl),
      domain,
      epochStart,
      1,
    );
    expect((await postReports(local.unionUrl, [otherReport])).accepted).toBe(1);
    await activateReporters(local);

    // 4. The researcher buys one day of the product on the Marketplace; the member's share is the
    // price minus the admin fee, split between two members.
    const { token, share } = await researcherBuysOneDay(local, chain, 2n);
    expect(share).toBeGreaterThan(0n);

    // 5. The watcher credits it, the committer commits a root, the chain passes the freeze.
    await awaitCommittedShare(local, member, share);
    // Still frozen: the popup shows the pending amount and that nothing is withdrawable yet.
    await popup.reload();
    await popup.getByRole('tab', { name: 'Earnings' }).click();
    await expect(popup.getByTestId('withdraw-nothing')).toBeVisible();
    await expect(popup.getByRole('button', { name: 'Withdraw', exact: true })).toBeDisabled();
    await screenshot(popup, 'money-loop-frozen');

    await passFreeze(local, member, share);

    // 6. In the popup, withdraw everything to a fresh address; the union relays it.
    const recipient = Wallet.createRandom().address;
    await popup.reload();
    await popup.getByRole('tab', { name: 'Earnings' }).click();
    await expect(popup.getByTestId('withdraw-amount')).toBeVisible();
    // npm start's minimum covers the relay's gas at 1 gwei, the test token valued like the coin.
    await expect(popup.getByTestId('withdraw-minimum')).toContainText(
      'Withdrawals start at 0.00011 CST',
    );
    await screenshot(popup, 'money-loop-earnings');
    const recipientInput = popup.getByLabel('Recipient address');
    const withdrawButton = popup.getByRole('button', { name: 'Withdraw', exact: true });
    const recipientError = popup.getByTestId('withdraw-recipient-error');
    const recipientWarning = popup.getByTestId('withdraw-recipient-warning');
    // The form refuses what cannot receive tokens and warns about what probably should not.
    await recipientInput.fill('0x1234');
    await recipientInput.blur();
    await expect(recipientError).toContainText('0x followed by 40 hexadecimal characters');
    await expect(withdrawButton).toBeDisabled();
    await recipientInput.fill('0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266'); // one letter's case off
    await expect(recipientError).toContainText('checksum');
    await screenshot(popup, 'money-loop-withdraw-invalid');
    await recipientInput.fill(`0x${'0'.repeat(40)}`);
    await expect(recipientError).toContainText('zero address');
    await recipientInput.fill(member);
    await expect(recipientWarning).toContainText('own key address');
    await recipientInput.fill(local.deployment.token);
    await expect(recipientWarning).toContainText('token contract');
    await recipientInput.fill(recipient);
    await expect(recipientError).toHaveCount(0);
    await expect(recipientWarning).toHaveCount(0);
    await withdrawButton.click();
    await expect(popup.getByTestId('withdraw-tx')).toBeVisible({ timeout: 20_000 });
    await expect(popup.getByText('Withdrawal confirmed.')).toBeVisible({ timeout: 40_000 });
    await screenshot(popup, 'money-loop-withdrawn');
    // "What was sent" lists the withdrawal request, recipient and all, exactly as sent.
    const { entries: requests } = await call(popup, 'requestLog', {});
    const outcome = await withdrawalOutcome(local, token, { member, recipient }, requests);
    expect(outcome).toMatchObject({ received: share, withdrawn: share });
    expect(outcome.status).toBeLessThan(300);
    expect(outcome.body).toMatchObject({ request: { member, recipient } });
    await popup.getByRole('tab', { name: 'Sent' }).click();
    const logged = popup.getByTestId('request-entry');
    await expect(logged.filter({ hasText: 'POST /v1/withdrawals' })).toHaveCount(1);
    await expect(logged.filter({ hasText: 'POST /v1/join' })).toHaveCount(1);
    await expect(logged.filter({ hasText: 'POST /v1/reports' }).first()).toBeVisible();

    // 7. Once the epoch's acceptance window has closed, the product publishes it, once; the
    // researcher downloads it.
    await awaitAcceptanceWindow(epochStart);
    expect((await local.server.product.aggregateNow()).map((e) => e.epochStart)).toContain(
      epochStart,
    );
    expect(await local.server.product.aggregateNow()).toEqual([]);
    const rows = parseCsv(await downloadEpoch(local, epochStart, 'csv')).filter(
      (r) => Date.parse(r.epoch_start!) / 1000 === epochStart,
    );
    const shoppingRow = rows.find((r) => r.category_key === shopping.key);
    const newsRow = rows.find((r) => r.category_key === news.key);
    expect(shoppingRow).toMatchObject({ suppressed: 'false', contributors: '2', k_threshold: '2' });
    expect(newsRow).toMatchObject({ suppressed: 'true', contributors: '', visits_total: '' });
    chain.destroy();
  });
});

// Issue 17's acceptance: the same loop with the report uploaded as shares to the real DAP leader
// and helper, and a search of what was sent and stored (support/money-loop-through-aggregators.ts).
test.describe('through the DAP aggregators', () => {
  moneyLoopThroughAggregators(outDir);
});
