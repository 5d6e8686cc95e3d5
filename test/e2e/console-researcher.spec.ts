/**
 * The researcher's side of the console in real Chromium: the in-process EVM served over JSON-RPC
 * with a deployed union (TestToken, Marketplace), a union with the product option, and a test
 * wallet for dev account 3. The researcher buys one day (approve + buy), signs in and downloads
 * a CSV whose rows match the union's JSON API. Screenshots: console-researcher-*.png.
 */
import { expect, test, type Page } from '@playwright/test';
import { parseUnits, Wallet } from 'ethers';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromiumPath, quietChromiumArgs } from './chromium.ts';
import {
  connectRpc,
  devAccount,
  startChainServer,
  type ChainServer,
} from '../../contracts/chain.ts';
import { unionFixture, type UnionFixture } from '../../contracts/testing/fixture.ts';
import { configTypedData, type UnionConfig } from '../../extension/protocol/config.ts';
import { unionDomain } from '../../extension/protocol/eip712.ts';
import { defaultPrivacy } from '../../extension/protocol/privacy.ts';
import { buildSiweMessage } from '../../extension/protocol/siwe.ts';
import { categories } from '../../extension/protocol/taxonomy.ts';
import { startUnion } from '../../union/app.ts';
import { ensureConsoleBuilt } from './support/console-union.ts';
import { installTestWallet } from './support/test-wallet.ts';

const shot = (page: Page, name: string) =>
  page.screenshot({
    path: `test-results/screenshots/console-researcher-${name}.png`,
    fullPage: true,
  });

test.use({ launchOptions: { executablePath: chromiumPath(), args: quietChromiumArgs } });

let f: UnionFixture;
let chain: ChainServer;
let union: Awaited<ReturnType<typeof startUnion>>;
let dataDir: string;
const researcher = new Wallet(devAccount(3).privateKey);

test.beforeAll(async () => {
  test.setTimeout(120_000);
  ensureConsoleBuilt();
  f = await unionFixture();
  chain = await startChainServer({ port: 0 });
  await (await f.token.mint(researcher.address, parseUnits('10', 18))).wait();
  const admin = new Wallet(devAccount(0).privateKey);
  const chainId = Number(f.chainId);
  const domain = unionDomain(chainId, f.deployment.dataUnion);
  const first = categories[0]!;
  const config: UnionConfig = {
    version: 1,
    issuedAt: Math.floor(Date.now() / 1000) - 60,
    epochSeconds: 86_400,
    categories: [
      {
        id: first.id,
        key: first.key,
        label: first.label,
        description: first.description,
        domains: ['example.com'],
      },
    ],
    privacy: { ...defaultPrivacy },
    minExtensionVersion: '0.1.0',
  };
  const { types, message } = configTypedData(config);
  dataDir = mkdtempSync(join(tmpdir(), 'crowdsell-researcher-'));
  union = await startUnion({
    chainId,
    dataUnion: f.deployment.dataUnion,
    admin: admin.address,
    operator: devAccount(1).address,
    port: 0,
    database: { driver: 'pglite', dataDir },
    logLevel: 'silent',
    recoverThreads: 0,
    productIntervalMs: 0,
    initialConfig: {
      config,
      signature: await admin.signTypedData(domain, types, message),
      signer: admin.address.toLowerCase(),
    },
    product: {
      rpcUrl: chain.url,
      marketplace: f.deployment.marketplace,
      productId: f.deployment.productId,
    },
  });
});

test.afterAll(async () => {
  await union?.close();
  await chain?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** The union's own JSON rows for the same query, through a separate researcher session. */
async function apiRows(): Promise<unknown[]> {
  const { nonce } = (await (await fetch(`${union.url}/v1/product/nonce`)).json()) as {
    nonce: string;
  };
  const url = new URL(union.url);
  const message = buildSiweMessage({
    domain: url.host,
    address: researcher.address,
    uri: url.origin,
    chainId: Number(f.chainId),
    nonce,
    issuedAt: new Date(),
    statement: 'Sign in to download Crowdsell aggregates.',
  });
  const session = (await (
    await fetch(`${union.url}/v1/product/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message, signature: await researcher.signMessage(message) }),
    })
  ).json()) as { token: string };
  const response = await fetch(`${union.url}/v1/product/aggregates?format=json`, {
    headers: { authorization: `Bearer ${session.token}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { rows: unknown[] }).rows;
}

test('a researcher buys one day and downloads a CSV', async ({ page }) => {
  test.setTimeout(120_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  const rpc = connectRpc(chain.url);
  await installTestWallet(page, { wallet: researcher, provider: rpc, chainId: f.chainId });

  await page.goto(`${union.url}/#/product`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Crowdsell browsing aggregates');
  await expect(page.getByTestId('price-day')).toContainText('base units');
  // Issue 15: each epoch once, after the 7-day acceptance window and the 5-minute grace.
  await expect(page.getByTestId('product-publication')).toHaveText(
    'once, 7 days 5 min after the epoch ends',
  );
  await expect(page.getByTestId('product-counts')).toHaveText('rounded to 10s');
  await shot(page, 'product');

  await page.getByRole('button', { name: 'Connect wallet', exact: true }).click();
  await expect(page.getByTestId('price-day')).toHaveText(/^0\.99\d* \w+$/);
  await expect(page.getByTestId('subscription-end')).toHaveText(
    'No subscription for this address yet.',
  );

  await page.getByLabel('Days').fill('1');
  await expect(page.getByTestId('buy-cost')).toContainText('Cost: 0.99');
  await page.getByRole('button', { name: 'Buy', exact: true }).click();
  await expect(page.getByTestId('buy-done')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('tx-approve')).toHaveAttribute('data-stage', 'mined');
  await expect(page.getByTestId('tx-buy')).toHaveAttribute('data-stage', 'mined');
  await expect(page.getByTestId('subscription-end')).toContainText('Active until');
  await shot(page, 'bought');

  await page.getByRole('button', { name: 'Sign in to download' }).click();
  await page.getByLabel('Format').selectOption('csv');
  await page.getByRole('button', { name: 'Prepare download' }).click();
  const link = page.getByTestId('aggregates-download');
  await expect(link).toBeVisible();
  await expect(page.getByTestId('feed-state')).toContainText('Listening');
  await shot(page, 'downloads');
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toBe('crowdsell-aggregates.csv');
  const csv = readFileSync(await download.path(), 'utf8');
  const lines = csv.split('\n').filter((line) => line.trim() !== '');
  expect(lines[0]).toContain('contributors');
  expect(lines.length - 1).toBe((await apiRows()).length);

  rpc.destroy();
  expect(problems).toEqual([]);
});
