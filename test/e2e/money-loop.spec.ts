/**
 * The whole money loop in real Chromium, against a local union started the way `npm start`
 * starts it (own data folder and ports): the extension onboards, consents, joins with the baked
 * app secret and opts in to two categories; visits to local pages are counted (an excluded site
 * is not); the epoch closes and the union accepts the signed report; a researcher buys on the
 * Marketplace; the watcher credits the revenue, a root is committed and, after the chain's clock
 * passes the freeze, the member withdraws from the popup to a fresh address, which then holds
 * exactly the share computed here from the price, the admin fee and the member count; finally the
 * researcher's download shows the member's categories only where the k threshold is met.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Page } from '@playwright/test';
import { Wallet } from 'ethers';

import { connectRpc, devAccount, signerFor } from '../../contracts/chain.ts';
import { dataUnionAt } from '../../contracts/generated/data-union.ts';
import { marketplaceAt } from '../../contracts/generated/marketplace.ts';
import { testTokenAt } from '../../contracts/generated/test-token.ts';
import {
  demoWallet,
  fetchConfig,
  joinMember,
  postReports,
  simulatedReport,
} from '../../demo/simulated-members.ts';
import type { UnionConfig } from '../../extension/protocol/config.ts';
import { unionDomain } from '../../extension/protocol/eip712.ts';
import { buildSiweMessage } from '../../extension/protocol/siwe.ts';
import { categories } from '../../extension/protocol/taxonomy.ts';
import { signedReportSchema } from '../../extension/protocol/wire.ts';
import { defaultLocalConfig, signConfig } from '../../union/local/default-config.ts';
import { buildExtension, repoRoot } from '../../union/local/extension-build.ts';
import { DEV_ROLES, startLocalUnion, type LocalUnion } from '../../union/local/local-union.ts';
import { freePort } from '../../union/test-support/free-port.ts';
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

const outDir = 'dist-money-loop';
const EPOCH_SECONDS = 60;
const FREEZE_SECONDS = 60n;
/** The union's acceptance window: an epoch is published this long after it ends. */
const ACCEPTANCE_WINDOW_SECONDS = 60;
const K = 2;
const shopping = categories.find((c) => c.key === 'shopping')!;
const news = categories.find((c) => c.key === 'news')!;
const hosts = {
  shop: 'crowdsell-shop.com',
  news: 'crowdsell-news.com',
  deals: 'crowdsell-deals.com',
};

test.use({
  extensionDir: path.join(repoRoot, outDir),
  extraArgs: hostResolverArgsFor(Object.values(hosts)),
});
test.describe.configure({ timeout: 180_000 });

let local: LocalUnion;
let pages: PageServer;
let dataDir: string;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function json<T>(response: Response, what: string): Promise<T> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/** SIWE sign-in at `/v1/<area>/nonce` + `/v1/<area>/session`; returns the bearer token. */
async function signIn(area: 'admin' | 'product', wallet: Wallet, statement?: string) {
  const base = new URL(local.unionUrl);
  const { nonce } = await json<{ nonce: string }>(
    await fetch(`${local.unionUrl}/v1/${area}/nonce`),
    `${area} nonce`,
  );
  const message = buildSiweMessage({
    domain: base.host,
    address: wallet.address,
    uri: base.origin,
    chainId: Number(local.deployment.chainId),
    nonce,
    issuedAt: new Date(),
    expirationTime: new Date(Date.now() + 10 * 60_000),
    ...(statement === undefined ? {} : { statement }),
  });
  const session = await json<{ token: string }>(
    await fetch(`${local.unionUrl}/v1/${area}/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message, signature: await wallet.signMessage(message) }),
    }),
    `${area} sign-in`,
  );
  return session.token;
}

/** Config v2: k lowered to 2, and domain rules for the two categories the test browses. */
async function publishTestConfig(): Promise<UnionConfig> {
  const base = defaultLocalConfig(Math.floor(Date.now() / 1000) - 5, EPOCH_SECONDS);
  const domains: Record<string, string[]> = {
    [shopping.key]: [hosts.shop, hosts.deals],
    [news.key]: [hosts.news],
  };
  const config: UnionConfig = {
    ...base,
    version: 2,
    categories: base.categories.map((c) => ({ ...c, domains: domains[c.key] ?? [] })),
    privacy: { ...base.privacy, kThreshold: K },
  };
  const admin = new Wallet(devAccount(DEV_ROLES.admin).privateKey);
  const signed = await signConfig(
    config,
    admin,
    unionDomain(Number(local.deployment.chainId), local.deployment.dataUnion),
  );
  const token = await signIn('admin', admin);
  await json(
    await fetch(`${local.unionUrl}/v1/admin/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(signed),
    }),
    'PUT /v1/admin/config',
  );
  return config;
}

interface Earnings {
  total: string;
  withdrawn: string;
  withdrawable: string;
  pending: string;
  nextUsableAt: string | null;
}

async function earningsOf(address: string): Promise<Earnings> {
  return json<Earnings>(
    await fetch(`${local.unionUrl}/v1/members/${address}/earnings`),
    'GET earnings',
  );
}

async function rpc(method: string, params: unknown[] = []): Promise<void> {
  await json(
    await fetch(local.chainUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    }),
    method,
  );
}

/** Minimal RFC 4180 reader for the product's CSV (no field here holds a comma or a quote). */
function parseCsv(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trim().split('\r\n');
  const names = header!.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(names.map((name, i) => [name, cells[i] ?? '']));
  });
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  dataDir = mkdtempSync(path.join(tmpdir(), 'crowdsell-money-loop-'));
  local = await startLocalUnion({
    dataDir,
    chainPort: await freePort(),
    unionPort: await freePort(),
    epochSeconds: EPOCH_SECONDS,
    freezePeriodSeconds: FREEZE_SECONDS,
    commitPeriodSeconds: 2,
    // Issue 15: the product publishes an epoch once its acceptance window closed; a short one
    // here (a week in production), and members count as active from the end of their report's
    // minute (the local union's activity batch; a UTC day in production).
    acceptanceWindowSeconds: ACCEPTANCE_WINDOW_SECONDS,
    productGraceSeconds: 0,
    productIntervalMs: 0,
    logLevel: 'silent',
  });
  await publishTestConfig();
  buildExtension(local, { outDir, mode: 'e2e', quiet: true });
  pages = await startPageServer();
});

test.afterAll(async () => {
  await pages?.close();
  await local?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function visit(tab: Page, host: string, pagePath: string): Promise<void> {
  await tab.goto(pages.url(host, pagePath));
}

test('member → report → purchase → root → gasless withdrawal → k-anonymous product', async ({
  context,
  extensionId,
}) => {
  const jobs = local.server.monoplasma!;
  const chain = connectRpc(local.chainUrl);

  // 1. Onboarding: disclosure, consent, join with the baked app secret.
  const onboarding = await onboardingTab(context);
  await onboarding.getByRole('checkbox').check();
  await onboarding.getByRole('button', { name: 'Agree and continue' }).click();
  await onboarding.getByRole('button', { name: 'Join the union' }).click();
  await expect(onboarding.getByTestId('onboarding-done')).toBeVisible();
  await screenshot(onboarding, 'money-loop-joined');

  const popup = await openPopup(context, extensionId);
  await hook(popup, 'setNoise', { enabled: false }); // exact counts, so they can be checked
  const { address: member } = await call(popup, 'keyAddress', {});
  expect((await call(popup, 'refreshConfig', {})).version).toBe(2);
  for (const name of [/Shopping/, /News/]) {
    const toggle = popup.getByRole('switch', { name });
    await toggle.click();
    await expect(toggle).toBeChecked();
  }
  await screenshot(popup, 'money-loop-categories');

  // An excluded site maps to Shopping in the config but must never count.
  await popup.getByRole('tab', { name: 'Sites' }).click();
  await popup.getByLabel('Site to exclude').fill(hosts.deals);
  await popup.getByRole('button', { name: 'Exclude', exact: true }).click();
  await expect(popup.getByRole('listitem').filter({ hasText: hosts.deals })).toBeVisible();

  // 2. Browse within one epoch: start with at least 20 s of the minute left (the visits take a
  // few seconds; what follows up to the download takes about as long as the rest of the epoch).
  const msLeft = EPOCH_SECONDS * 1000 - (Date.now() % (EPOCH_SECONDS * 1000));
  if (msLeft < 20_000) await sleep(msLeft + 250);
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
  expect(sent).toMatchObject({ member, epochStart, epochSeconds: EPOCH_SECONDS, configVersion: 2 });
  expect(sent.counts.find((c) => c.category === shopping.id)?.visits).toBe(2); // not the excluded 3rd
  expect(sent.counts.find((c) => c.category === news.id)?.visits).toBe(1);
  for (const { body } of entries) expect(body).not.toMatch(/crowdsell-|basket|coupon|today/); // no host or path leaves

  // A second member (the extension core's code in Node) reports Shopping only for the same epoch.
  const domain = unionDomain(Number(local.deployment.chainId), local.deployment.dataUnion);
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
  // Both members become active at the end of the activity batch their reports arrived in (one
  // minute here), once a block is stamped after it: wait for that, so both share the revenue.
  const batchEndMs = (Math.floor(Date.now() / 60_000) + 1) * 60_000;
  await sleep(batchEndMs - Date.now() + 250);
  await rpc('evm_mine');
  await jobs.watch();

  // 4. The researcher buys one day of the product on the Marketplace.
  const researcher = signerFor(devAccount(DEV_ROLES.researcher).privateKey, chain);
  const market = marketplaceAt(local.deployment.marketplace, researcher);
  const token = testTokenAt(local.deployment.token, researcher);
  const seconds = 86_400n;
  const price = (await market.getProduct(local.deployment.productId)).pricePerSecond * seconds;
  await (await token.approve(local.deployment.marketplace, price)).wait();
  await (await market.buy(local.deployment.productId, seconds, price)).wait();

  // The member's share, computed here: price minus the admin fee, split between two members.
  const fee = await dataUnionAt(local.deployment.dataUnion, chain).adminFeeFraction();
  const share = (price - (price * fee) / 10n ** 18n) / 2n;
  expect(share).toBeGreaterThan(0n);

  // 5. The watcher credits it, the committer commits a root, the chain passes the freeze.
  await waitFor(
    async () => {
      await jobs.commit();
      const e = await earningsOf(member);
      return BigInt(e.total) === share && e.nextUsableAt !== null ? e : undefined;
    },
    'the revenue credited and committed in a root',
    30_000,
  );
  // Still frozen: the popup shows the pending amount and that nothing is withdrawable yet.
  await popup.reload();
  await popup.getByRole('tab', { name: 'Earnings' }).click();
  await expect(popup.getByTestId('withdraw-nothing')).toBeVisible();
  await expect(popup.getByRole('button', { name: 'Withdraw', exact: true })).toBeDisabled();
  await screenshot(popup, 'money-loop-frozen');

  await rpc('evm_increaseTime', [Number(FREEZE_SECONDS) + 1]);
  await rpc('evm_mine');
  await waitFor(
    async () => (BigInt((await earningsOf(member)).withdrawable) === share ? true : undefined),
    'the root to become usable',
    15_000,
  );

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
  expect(await token.balanceOf(recipient)).toBe(share);
  expect(BigInt((await earningsOf(member)).withdrawn)).toBe(share);
  // "What was sent" lists the withdrawal request, recipient and all, exactly as sent.
  const { entries: requests } = await call(popup, 'requestLog', {});
  const withdrawal = requests.find((r) => r.method === 'POST' && r.path === '/v1/withdrawals');
  expect(withdrawal?.status).toBeLessThan(300);
  expect(JSON.parse(withdrawal?.body ?? '{}')).toMatchObject({ request: { member, recipient } });
  await popup.getByRole('tab', { name: 'Sent' }).click();
  const logged = popup.getByTestId('request-entry');
  await expect(logged.filter({ hasText: 'POST /v1/withdrawals' })).toHaveCount(1);
  await expect(logged.filter({ hasText: 'POST /v1/join' })).toHaveCount(1);
  await expect(logged.filter({ hasText: 'POST /v1/reports' }).first()).toBeVisible();

  // 7. Once the epoch's acceptance window has closed, the product publishes it, once; the
  // researcher downloads it.
  const publishAtMs = (epochStart + EPOCH_SECONDS + ACCEPTANCE_WINDOW_SECONDS + 1) * 1000;
  if (Date.now() < publishAtMs) await sleep(publishAtMs - Date.now() + 250);
  expect((await local.server.product.aggregateNow()).map((e) => e.epochStart)).toContain(
    epochStart,
  );
  expect(await local.server.product.aggregateNow()).toEqual([]);
  const bearer = await signIn(
    'product',
    new Wallet(devAccount(DEV_ROLES.researcher).privateKey),
    'Sign in to download Crowdsell aggregates.',
  );
  const csv = await fetch(
    `${local.unionUrl}/v1/product/aggregates?format=csv&from=${epochStart}&to=${epochStart + EPOCH_SECONDS}`,
    { headers: { authorization: `Bearer ${bearer}` } },
  );
  expect(csv.status).toBe(200);
  const rows = parseCsv(await csv.text()).filter(
    (r) => Date.parse(r.epoch_start!) / 1000 === epochStart,
  );
  const shoppingRow = rows.find((r) => r.category_key === shopping.key);
  const newsRow = rows.find((r) => r.category_key === news.key);
  expect(shoppingRow).toMatchObject({ suppressed: 'false', contributors: '2', k_threshold: '2' });
  expect(newsRow).toMatchObject({ suppressed: 'true', contributors: '', visits_total: '' });
  chain.destroy();
});
