/**
 * The admin console in real Chromium against an in-process union on the in-process EVM: sign-in
 * with SIWE, approving a join request, app secrets, auto-join, publishing a signed config
 * (accepted byte for byte by the extension core), the overview's figures and charts over seeded
 * members, reports, a purchase and a commit, revoking the frozen root from the admin wallet, and
 * the non-admin wall. Screenshots: test-results/screenshots/console-*.png.
 */
import { expect, test, type Page } from '@playwright/test';
import { Wallet } from 'ethers';

import { chromiumPath, quietChromiumArgs } from './chromium.ts';
import { buildSiweMessage } from '../../extension/protocol/siwe.ts';
import { formatAmount } from '../../extension/protocol/amounts.ts';
import { acceptSignedConfig } from '../../extension/protocol/config.ts';
import { categories } from '../../extension/protocol/taxonomy.ts';
import {
  ensureConsoleBuilt,
  startConsoleUnion,
  type ConsoleUnion,
} from './support/console-union.ts';
import { installTestWallet } from './support/test-wallet.ts';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `test-results/screenshots/console-${name}.png`, fullPage: true });

test.use({ launchOptions: { executablePath: chromiumPath(), args: quietChromiumArgs } });

const randomWallet = () => new Wallet(Wallet.createRandom().privateKey);

let union: ConsoleUnion;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  ensureConsoleBuilt();
  union = await startConsoleUnion({ chain: true });
});

test.afterAll(async () => {
  await union?.close();
});

async function openWith(page: Page, wallet: Wallet, problems: string[], reject?: () => boolean) {
  page.on('console', (m) => {
    // The session probe before sign-in answers 401 by design; anything else is a problem.
    if (m.type() === 'error' && !m.text().includes('status of 401')) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await installTestWallet(page, {
    wallet,
    provider: union.rpc,
    chainId: BigInt(union.chainId),
    ...(reject ? { reject } : {}),
  });
  await page.goto(union.url);
  await expect(page.getByText(`Chain${union.chainId}`)).toBeVisible();
}

test('the admin signs in, approves, manages secrets and publishes a config', async ({ page }) => {
  test.setTimeout(90_000);
  const member = randomWallet();
  await union.requestJoin(member);
  const address = member.address.toLowerCase();
  const problems: string[] = [];

  await openWith(page, union.admin, problems);
  await shot(page, 'connect');
  await page.getByRole('button', { name: 'Connect wallet' }).click();
  await page.getByRole('button', { name: 'Sign in with Ethereum' }).click();
  const nav = page.getByRole('navigation', { name: 'Admin views' });
  await expect(nav).toBeVisible();

  // Overview: one pending member, the membership chart (empty log yet) and the live config.
  await expect(page.getByTestId('count-pending')).toHaveText('1');
  await shot(page, 'overview');

  // Join requests: approve the pending member.
  await nav.getByRole('link', { name: 'Join requests' }).click();
  await expect(page.getByTestId(`request-${address}`)).toBeVisible();
  await shot(page, 'join-requests');
  await page.getByRole('button', { name: `Approve ${address}` }).click();
  await expect(page.getByText('No pending join requests.')).toBeVisible();
  const status = (await (await fetch(`${union.url}/v1/members/${address}`)).json()) as {
    status: string;
  };
  expect(status.status).toBe('active');

  // Members: search finds the new member.
  await nav.getByRole('link', { name: 'Members' }).click();
  await page.getByLabel('Search address').fill(address.slice(2, 10));
  await expect(page.getByTestId(`member-${address}`)).toContainText('active');
  await shot(page, 'members');

  // Overview again: the membership log now has a join, so the chart renders.
  await nav.getByRole('link', { name: 'Overview' }).click();
  await expect(page.getByTestId('count-active')).toHaveText('1');
  await expect(page.locator('.chart canvas')).toBeVisible();
  await shot(page, 'overview-chart');

  // App secrets: create one with a use limit (shown once), then revoke it.
  await nav.getByRole('link', { name: 'App secrets' }).click();
  await expect(page.getByText('No app secrets yet.')).toBeVisible();
  await page.getByLabel('Label').fill('beta testers');
  await page.getByLabel('Use limit (optional)').fill('5');
  await page.getByRole('button', { name: 'Create secret' }).click();
  await expect(page.getByTestId('new-secret')).toHaveValue(/^csj_[0-9a-f]{16}_/);
  const row = page.locator('tr', { hasText: 'beta testers' });
  await expect(row).toContainText('0 / 5');
  await shot(page, 'secrets-created');
  await row.getByRole('button', { name: 'Revoke' }).click();
  await row.getByRole('button', { name: 'Yes, revoke' }).click();
  await expect(row.getByTestId('secret-state')).toHaveText('revoked');
  await shot(page, 'secrets-revoked');

  // Auto-join switch.
  await nav.getByRole('link', { name: 'Auto-join' }).click();
  const toggle = page.getByRole('switch');
  await expect(toggle).toHaveAttribute('aria-checked', 'true');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-checked', 'false');
  await shot(page, 'auto-join');

  // Category config: change ε, add a category with a domain rule, preview, sign and publish.
  await nav.getByRole('link', { name: 'Category config' }).click();
  await expect(page.getByText('Live: version 1.')).toBeVisible();
  await page.getByLabel('ε — privacy budget per epoch').fill('1.5');
  const second = categories[1]!;
  await page.getByRole('checkbox', { name: new RegExp(`\\(${second.key}\\)`) }).check();
  await page
    .getByTestId(`category-${second.key}`)
    .getByLabel(/Domain rules/)
    .fill('news.example.org');
  const diff = page.getByTestId('config-diff');
  await expect(diff).toContainText('ε (privacy budget per epoch)');
  await expect(diff).toContainText(`category ${second.label}`);
  await shot(page, 'config-editor');
  await page.getByRole('button', { name: 'Sign and publish version 2' }).click();
  await expect(page.getByText('Live: version 2.')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Published config versions' })).toContainText('1.5');
  await shot(page, 'config-published');

  // The extension core accepts exactly the bytes the union now serves.
  const text = await (await fetch(`${union.url}/v1/config`)).text();
  const accepted = acceptSignedConfig(JSON.parse(text), {
    domain: union.domain,
    admin: union.admin.address,
    currentVersion: 1,
  });
  expect(accepted.config.version).toBe(2);
  expect(accepted.config.privacy.epsilon).toBe(1.5);
  expect(accepted.config.categories.find((c) => c.id === second.id)?.domains).toEqual([
    'news.example.org',
  ]);

  expect(problems).toEqual([]);
});

interface StatsAnswer {
  members: { byStatus: Record<string, number>; active: number };
  revenue: { total: string };
  latestRoot: { blockNumber: number; state: string } | null;
  token: { symbol: string; decimals: number } | null;
}

test('the overview shows figures, charts and the validator; the admin revokes the frozen root', async ({
  page,
}) => {
  test.setTimeout(60_000);
  const members = [randomWallet(), randomWallet(), randomWallet()];
  for (const member of members) await union.joinActive(member);
  await union.report(members[0]!, 1);
  await union.report(members[1]!, 1, 5);
  await union.report(members[0]!, 2);
  const paid = await union.purchase(86_400n);
  expect((await union.commit()).committed).toBe(true);

  const stats = (await (
    await fetch(`${union.url}/v1/admin/stats`, {
      headers: { authorization: `Bearer ${await union.adminToken()}` },
    })
  ).json()) as StatsAnswer;
  expect(stats.revenue.total).toBe(paid.toString());
  expect(stats.latestRoot?.state).toBe('frozen');
  const token = stats.token!;

  const problems: string[] = [];
  let rejectInWallet = false;
  await openWith(page, union.admin, problems, () => rejectInWallet);
  await page.getByRole('button', { name: 'Connect wallet' }).click();
  await page.getByRole('button', { name: 'Sign in with Ethereum' }).click();

  await expect(page.getByTestId('figure-revenue')).toHaveText(formatAmount(paid, token));
  await expect(page.getByTestId('count-active')).toHaveText(String(stats.members.byStatus.active));
  await expect(page.getByTestId('figure-active')).toHaveText(String(stats.members.active));
  await expect(page.getByTestId('figure-reports')).toHaveText('3');
  await expect(page.getByTestId('figure-paid-out')).toHaveText(`0 ${token.symbol}`);
  await expect(page.getByTestId('figure-admin-fee')).toContainText(token.symbol);
  await expect(page.getByTestId('figure-next-commit')).toBeVisible();
  await expect(page.getByTestId('root-state')).toContainText(
    `block ${stats.latestRoot!.blockNumber}`,
  );
  await expect(page.getByTestId('root-state')).toContainText('frozen until');
  for (const chart of [
    'membership-title',
    'money-chart',
    'contributors-chart',
    'reports-chart',
    'commits-chart',
  ]) {
    const card = page.getByTestId(chart);
    await expect(card.locator('canvas').first()).toBeVisible();
    expect(await card.locator('table tbody tr').count()).toBeGreaterThan(0);
  }
  await expect(page.getByTestId('validator-panel')).toBeVisible();
  await expect(page.getByTestId('validator-state')).toHaveText(
    /OK|Alarm|No validator run yet|not available/,
  );
  await shot(page, 'overview-stats');

  // Revoke the frozen root: the confirmation explains, then the admin wallet sends revoke().
  const revoke = page.getByTestId('revoke-root');
  await revoke.getByRole('button', { name: 'Revoke root' }).click();
  await expect(revoke).toContainText('can then never be used for withdrawals');
  await shot(page, 'overview-revoke-confirm');
  // Rejected in the wallet: a sentence, and the root stays frozen.
  rejectInWallet = true;
  await revoke.getByRole('button', { name: 'Yes, revoke it' }).click();
  const roots = page.locator('[aria-labelledby="roots-title"]');
  await expect(roots.getByRole('alert')).toContainText('You rejected the revoke transaction');
  await expect(page.getByTestId('root-state')).toContainText('frozen until');
  rejectInWallet = false;
  await revoke.getByRole('button', { name: 'Revoke root' }).click();
  await revoke.getByRole('button', { name: 'Yes, revoke it' }).click();
  await expect(page.getByTestId('tx-revoke')).toHaveAttribute('data-stage', 'mined');
  await expect(page.getByTestId('root-state')).toContainText('revoked');
  await expect(page.getByTestId('revoke-root')).toHaveCount(0);
  await shot(page, 'overview-revoked');
  expect(problems).toEqual([]);
});

test('a non-admin wallet sees no admin views and the admin API refuses it', async ({ page }) => {
  const stranger = randomWallet();
  const problems: string[] = [];
  await openWith(page, stranger, problems);
  await page.getByRole('button', { name: 'Connect wallet' }).click();
  await expect(page.getByTestId('not-admin')).toContainText('is not the union’s admin');
  await expect(page.getByRole('navigation', { name: 'Admin views' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Sign in with Ethereum' })).toHaveCount(0);
  await shot(page, 'not-admin');

  // Without a session every admin route is 401.
  for (const path of [
    '/v1/admin/members',
    '/v1/admin/secrets',
    '/v1/admin/settings',
    '/v1/admin/stats',
  ]) {
    const refused = await fetch(`${union.url}${path}`);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
      'UNAUTHENTICATED',
    );
  }
  // A valid SIWE sign-in by another key is refused as NOT_ADMIN (403).
  const { nonce } = (await (await fetch(`${union.url}/v1/admin/nonce`)).json()) as {
    nonce: string;
  };
  const origin = new URL(union.url);
  const message = buildSiweMessage({
    domain: origin.host,
    address: stranger.address,
    uri: origin.origin,
    chainId: union.chainId,
    nonce,
    issuedAt: new Date(),
  });
  const response = await fetch(`${union.url}/v1/admin/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message, signature: await stranger.signMessage(message) }),
  });
  expect(response.status).toBe(403);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe('NOT_ADMIN');
  expect(problems).toEqual([]);
});

test('the union serves the console with a strict CSP and keeps API 404s as JSON', async () => {
  const index = await fetch(`${union.url}/`);
  expect(index.status).toBe(200);
  expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
  expect(await index.text()).toContain('<div id="app">');
  const deep = await fetch(`${union.url}/some/deep/link`);
  expect(deep.headers.get('content-type')).toContain('text/html');
  const api404 = await fetch(`${union.url}/v1/nope`);
  expect(api404.status).toBe(404);
  expect(((await api404.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
});
