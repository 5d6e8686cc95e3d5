/**
 * Issue 20 end to end in real Chromium: next to a running union (the first, as `npm start` runs
 * it), its admin creates a second union from the console's "Create a union" page (one factory
 * transaction from the wallet) and starts its server from the command the page shows; a member
 * joins the new union with an extension built from the settings the page shows and reports; a
 * researcher finds the new union's product on the marketplace page served by the first union
 * (reading the second union's public routes cross-origin) and buys it with their wallet; a root is
 * committed and, past the freeze, the member withdraws from the popup. The first union's money
 * and product are untouched throughout, and a product whose union does not answer is still
 * listed, marked unreachable.
 */
import path from 'node:path';

import { chromium, type Page } from '@playwright/test';
import { Wallet } from 'ethers';

import { connectRpc, devAccount, signerFor } from '../../contracts/chain.ts';
import { createUnionIn } from '../../contracts/deploy.ts';
import { marketplaceAt } from '../../contracts/generated/marketplace.ts';
import { testTokenAt } from '../../contracts/generated/test-token.ts';
import { buildExtension, extensionBuildEnv, repoRoot } from '../../union/local/extension-build.ts';
import { DEV_ROLES, type LocalUnion } from '../../union/local/local-union.ts';
import { freePort } from '../../union/test-support/free-port.ts';
import { chromiumPath, quietChromiumArgs } from './chromium.ts';
import {
  call,
  hook,
  hostResolverArgsFor,
  startPageServer,
  waitFor,
  type PageServer,
} from './extension-helpers.ts';
import { expect, test } from './fixtures.ts';
import { onboardingTab, openPopup, screenshot } from './popup-helpers.ts';
import { ensureConsoleBuilt } from './support/console-union.ts';
import {
  createUnionFromConsole,
  serveStaticMarketplace,
  startCreatedUnion,
} from './support/factory-union.ts';
import {
  activateReporters,
  awaitCommittedShare,
  awaitRoomInEpoch,
  FREEZE_SECONDS,
  hosts,
  passFreeze,
  shopping,
  startMoneyLoopUnion,
  withdrawalOutcome,
  type MoneyLoopUnion,
} from './support/money-loop-steps.ts';
import { installTestWallet } from './support/test-wallet.ts';

const outDir = 'dist-factory-union';
const form = {
  name: 'Weather union',
  description: 'Rain by street, k-anonymous daily aggregates',
  // 10^13 base units a second: a day costs exactly this.
  pricePerDay: '0.864',
  adminFeePercent: '10',
  freezeSeconds: Number(FREEZE_SECONDS),
};
const PRICE_PER_DAY = 864n * 10n ** 15n;

test.use({
  extensionDir: path.join(repoRoot, outDir),
  extraArgs: hostResolverArgsFor(Object.values(hosts)),
});
// Serial: the static page's test reads the purchase the first test made.
test.describe.configure({ mode: 'serial', timeout: 240_000 });

let first: MoneyLoopUnion;
let second: LocalUnion;
let pages: PageServer;

/** What must not change in the first union: its money on chain and its product. */
async function firstUnionState(local: LocalUnion) {
  const chain = connectRpc(local.chainUrl);
  try {
    const product = await marketplaceAt(local.deployment.marketplace, chain).getProduct(
      local.deployment.productId,
    );
    const accounting = (await (
      await fetch(`${local.unionUrl}/v1/accounting/events?limit=1000`)
    ).json()) as { events: { kind: string }[] };
    return {
      balance: await testTokenAt(local.deployment.token, chain).balanceOf(
        local.deployment.dataUnion,
      ),
      product: [product.beneficiary, product.pricePerSecond, product.active, product.owner],
      revenues: accounting.events.filter((e) => e.kind === 'revenue-received').length,
    };
  } finally {
    chain.destroy();
  }
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  ensureConsoleBuilt();
  first = await startMoneyLoopUnion();
  pages = await startPageServer();
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: quietChromiumArgs,
    headless: true,
  });
  try {
    const created = await createUnionFromConsole(browser, first.local, form);
    second = await startCreatedUnion(first.local, created);
    // The page's extension settings are the ones the build reads; the test adds the app secret.
    expect(created.extensionEnv).toEqual(
      extensionBuildEnv({ unionUrl: second.unionUrl, deployment: second.deployment }),
    );
  } finally {
    await browser.close();
  }
  buildExtension(second, { outDir, mode: 'e2e', quiet: true });
  // A product whose union's server does not answer (nothing listens on its port).
  const chain = connectRpc(first.local.chainUrl);
  await createUnionIn(signerFor(devAccount(6).privateKey, chain), first.local.deployment, {
    productName: 'Silent union',
    freezePeriodSeconds: 60n,
    metadataUrl: `http://127.0.0.1:${await freePort()}`,
  });
  chain.destroy();
});

test.afterAll(async () => {
  await pages?.close();
  await second?.close();
  await first?.close();
});

async function researcherOnMarketplace(page: Page): Promise<void> {
  const chain = connectRpc(first.local.chainUrl);
  await installTestWallet(page, {
    wallet: new Wallet(devAccount(DEV_ROLES.researcher).privateKey),
    provider: chain,
    chainId: BigInt(first.local.deployment.chainId),
  });
  page.on('close', () => chain.destroy());
}

test('a union created in the console: member joins, researcher buys on the marketplace, member withdraws; the first union unaffected', async ({
  context,
  extensionId,
}) => {
  const before = await firstUnionState(first.local);

  // 1. The member joins the new union with its extension, opts in to Shopping and browses.
  const onboarding = await onboardingTab(context);
  await onboarding.getByRole('checkbox').check();
  await onboarding.getByRole('button', { name: 'Agree and continue' }).click();
  await onboarding.getByRole('button', { name: 'Join the union' }).click();
  await expect(onboarding.getByTestId('onboarding-done')).toBeVisible();
  const popup = await openPopup(context, extensionId);
  await hook(popup, 'setNoise', { enabled: false });
  const { address: member } = await call(popup, 'keyAddress', {});
  expect((await call(popup, 'refreshConfig', {})).version).toBe(2);
  const toggle = popup.getByRole('switch', { name: /Shopping/ });
  await toggle.click();
  await expect(toggle).toBeChecked();
  await awaitRoomInEpoch(15_000);
  const tab = await context.newPage();
  await tab.goto(pages.url(hosts.shop, '/basket'));
  await waitFor(async () => {
    const open = (await hook(popup, 'openTallies')) as {
      tallies: Record<string, { visits: number }>;
    }[];
    return open.some((e) => (e.tallies[String(shopping.id)]?.visits ?? 0) === 1) ? true : undefined;
  }, 'the shopping visit counted');
  const closed = (await hook(popup, 'closeEpochNow')) as { reported: number[] };
  expect(closed.reported.length).toBeGreaterThan(0);
  await popup.getByRole('tab', { name: 'Sent' }).click();
  for (const entry of await popup.getByTestId('sent-entry').all()) {
    await expect(entry).toContainText('accepted by the union', { timeout: 20_000 });
  }
  await activateReporters(second);

  // 2. The researcher finds it on the marketplace page served by the FIRST union, and buys.
  const market = await context.newPage();
  await researcherOnMarketplace(market);
  await market.goto(`${first.local.unionUrl}/marketplace`);
  await expect(market.getByTestId('market-progress')).toContainText('on the Marketplace', {
    timeout: 30_000,
  });
  const search = market.getByLabel('Search', { exact: true });
  await search.fill('silent');
  const silent = market.getByTestId('listing');
  await expect(silent).toHaveCount(1);
  await expect(silent.getByTestId('unreachable-reason')).toContainText('cannot be reached');
  await search.fill('weather rain');
  const listing = market.getByTestId('listing');
  await expect(listing).toHaveCount(1);
  await expect(listing).toHaveAttribute(
    'data-product-id',
    second.deployment.productId.toLowerCase(),
  );
  await expect(listing.getByRole('heading', { name: form.name })).toBeVisible();
  await expect(listing.getByTestId('listing-price')).toHaveText('0.864 CST');
  await expect(listing.getByTestId('listing-members')).toHaveText('1');
  await expect(listing.getByTestId('listing-revenue')).toContainText('0 CST');
  await expect(listing.getByTestId('unreachable')).toHaveCount(0);
  await listing.getByText('Datasheet', { exact: true }).click();
  await expect(listing.locator('pre.datasheet')).toContainText('#');
  await screenshot(market, 'factory-union-marketplace');
  await listing.getByRole('button', { name: `Buy ${form.name}` }).click();
  await market.getByRole('button', { name: 'Connect wallet to buy' }).click();
  await market.getByLabel('Days').fill('1');
  await expect(market.getByTestId('buy-cost')).toHaveText('Cost: 0.864 CST');
  await market.getByRole('button', { name: 'Buy', exact: true }).click();
  await expect(market.getByTestId('buy-done')).toBeVisible({ timeout: 30_000 });
  await screenshot(market, 'factory-union-bought');
  const fee = PRICE_PER_DAY / 10n; // 10 %, the one member shares the rest
  const share = PRICE_PER_DAY - fee;

  // 3. The new union's operator commits a root holding the share; past the freeze the member
  // withdraws from the popup, relayed by that union.
  await awaitCommittedShare(second, member, share);
  await passFreeze(second, member, share);
  const recipient = Wallet.createRandom().address;
  await popup.reload();
  await popup.getByRole('tab', { name: 'Earnings' }).click();
  await popup.getByLabel('Recipient address').fill(recipient);
  await popup.getByRole('button', { name: 'Withdraw', exact: true }).click();
  await expect(popup.getByText('Withdrawal confirmed.')).toBeVisible({ timeout: 40_000 });
  await screenshot(popup, 'factory-union-withdrawn');
  const { entries: requests } = await call(popup, 'requestLog', {});
  const chain = connectRpc(first.local.chainUrl);
  const outcome = await withdrawalOutcome(
    second,
    testTokenAt(second.deployment.token, chain),
    { member, recipient },
    requests,
  );
  chain.destroy();
  expect(outcome).toMatchObject({ received: share, withdrawn: share });

  // 4. The first union: same balance, same product, no revenue credited.
  await first.local.server.monoplasma!.watch();
  expect(await firstUnionState(first.local)).toEqual(before);
});

test('the static marketplace build lists the same products, reading the chain without a wallet', async ({
  context,
}) => {
  const site = await serveStaticMarketplace(first.local);
  try {
    const page = await context.newPage();
    await page.goto(site.url);
    await expect(page.getByTestId('market-progress')).toContainText('on the Marketplace', {
      timeout: 30_000,
    });
    await page.getByLabel('Sort by').selectOption('revenue');
    await page.getByLabel('Order').selectOption('descending');
    // The product bought in the test above earned the most; the silent union is still listed.
    const top = page.getByTestId('listing').first();
    await expect(top.getByRole('heading', { name: form.name })).toBeVisible();
    await expect(top.getByTestId('listing-revenue')).toContainText('0.864 CST (1 purchase)');
    await expect(top.getByTestId('listing-members')).toHaveText('1');
    await expect(page.getByTestId('listing').filter({ hasText: 'Silent union' })).toContainText(
      'Unreachable',
    );
    await screenshot(page, 'factory-union-static-marketplace');
  } finally {
    await site.close();
  }
});
