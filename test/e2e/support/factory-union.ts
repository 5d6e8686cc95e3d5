/**
 * A second union, created the way an admin creates one: through the "Create a union" page of the
 * first union's console (real Chromium, the admin's wallet), then started from exactly the
 * command that page shows (`npm run union -- serve`'s environment, read by `optionsFromEnv`, in
 * this process), with the operator key and node URL filled in and the local union's test speeds
 * on top (one-minute epochs and activity batches, development privacy limits).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Browser } from '@playwright/test';
import { parseUnits, Wallet } from 'ethers';

import { connectRpc, devAccount } from '../../../contracts/chain.ts';
import { parseEnvCommand } from '../../../console/factory/start-command.ts';
import { startUnion } from '../../../union/app.ts';
import { optionsFromEnv } from '../../../union/config/env.ts';
import { repoRoot } from '../../../union/local/extension-build.ts';
import {
  DEV_ROLES,
  LOCAL_ACTIVITY_BATCH_SECONDS,
  type LocalUnion,
} from '../../../union/local/local-union.ts';
import { freePort } from '../../../union/test-support/free-port.ts';
import { expect } from '../fixtures.ts';
import { screenshot } from '../popup-helpers.ts';
import { installTestWallet } from './test-wallet.ts';
import { ACCEPTANCE_WINDOW_SECONDS, publishTestConfig, signIn } from './money-loop-steps.ts';

/** The new union's operator: its own key, so its commits never race the first union's. */
export const SECOND_OPERATOR = 5;

export interface UnionForm {
  name: string;
  description: string;
  pricePerDay: string;
  adminFeePercent: string;
  freezeSeconds: number;
}

export interface CreatedFromConsole {
  unionUrl: string;
  /** What the page said to run, parsed back into variables. */
  serveEnv: Record<string, string>;
  extensionEnv: Record<string, string>;
}

/**
 * In the first union's console, the admin fills "Create a union" (a wrong URL first, refused
 * before any wallet prompt; then a declined signature, reported), creates the union and reads the
 * commands shown.
 */
export async function createUnionFromConsole(
  browser: Browser,
  first: LocalUnion,
  form: UnionForm,
): Promise<CreatedFromConsole> {
  const unionUrl = `http://127.0.0.1:${await freePort()}`;
  const page = await browser.newPage();
  const rpc = connectRpc(first.chainUrl);
  let declineNext = true;
  await installTestWallet(page, {
    wallet: new Wallet(devAccount(DEV_ROLES.admin).privateKey),
    provider: rpc,
    chainId: BigInt(first.deployment.chainId),
    reject: () => {
      if (!declineNext) return false;
      declineNext = false;
      return true;
    },
  });
  try {
    await page.goto(`${first.unionUrl}/#/create`);
    await page.getByRole('button', { name: 'Connect the admin wallet' }).click();
    await page.getByLabel('Product name').fill(form.name);
    await page.getByLabel('Description').fill(form.description);
    await expect(page.getByLabel('Token address')).toHaveValue(
      first.deployment.token.toLowerCase(),
    );
    await page.getByLabel('Price per day').fill(form.pricePerDay);
    await page.getByLabel('Admin fee (%)').fill(form.adminFeePercent);
    await page.getByLabel('Freeze period').fill(String(form.freezeSeconds));
    await page.getByLabel('Unit').selectOption('seconds');
    await page.getByLabel('Operator address').fill(devAccount(SECOND_OPERATOR).address);
    const factory = page.getByLabel('Factory address');
    if ((await factory.inputValue()) === '') await factory.fill(first.deployment.factory);
    await expect(page.getByTestId('create-price-note')).toContainText(`${form.pricePerDay} CST`);

    // Checked before the wallet is asked: a public union URL must be https.
    await page.getByLabel('Union URL').fill('http://union.example');
    await page.getByRole('button', { name: 'Create the union' }).click();
    await expect(page.getByTestId('create-unionUrl-error')).toContainText('must use https');
    await expect(page.getByTestId('tx-create')).toHaveCount(0);

    // The admin declines in the wallet once: said plainly, nothing created.
    await page.getByLabel('Union URL').fill(unionUrl);
    await page.getByRole('button', { name: 'Create the union' }).click();
    await expect(page.getByRole('alert')).toContainText('You declined the transaction');

    await page.getByRole('button', { name: 'Create the union' }).click();
    const created = page.getByTestId('union-created');
    await expect(created).toBeVisible({ timeout: 20_000 });
    await expect(created.getByTestId('tx-create')).toHaveAttribute('data-stage', 'mined');
    await screenshot(page, 'factory-union-created');
    return {
      unionUrl,
      serveEnv: parseEnvCommand(await page.getByTestId('serve-command').innerText()),
      extensionEnv: parseEnvCommand(await page.getByTestId('extension-command').innerText()),
    };
  } finally {
    rpc.destroy();
    await page.close();
  }
}

/**
 * Starts the union server the page's command describes; returns it shaped as the local union the
 * money-loop steps take, with an app secret its admin created and config v2 published.
 */
export async function startCreatedUnion(
  first: LocalUnion,
  created: CreatedFromConsole,
): Promise<LocalUnion> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'crowdsell-factory-union-'));
  const env: Record<string, string> = {
    ...created.serveEnv,
    // What the page leaves to the operator, and test speeds the environment can set.
    RPC_URL: first.chainUrl,
    OPERATOR_KEY: devAccount(SECOND_OPERATOR).privateKey,
    PUBLIC_RPC_URL: first.chainUrl,
    CROWDSELL_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    MIN_MEMBERSHIP_AGE_SECONDS: '0',
    ACCEPTANCE_WINDOW_SECONDS: String(ACCEPTANCE_WINDOW_SECONDS),
    RATE_LIMIT_PUBLIC_READS_PER_IP: '0',
    RELAY_GAS_PRICE_WEI: parseUnits('1', 'gwei').toString(),
    TOKEN_UNITS_PER_NATIVE_COIN: parseUnits('1', 18).toString(),
  };
  const options = optionsFromEnv(env);
  const server = await startUnion({
    ...options,
    // What only the local union of npm start does: one-minute epochs and activity batches.
    developmentPrivacyLimits: true,
    activityBatchSeconds: LOCAL_ACTIVITY_BATCH_SECONDS,
    productGraceSeconds: 0,
    productIntervalMs: 0,
    chain: { ...options.chain!, pollIntervalMs: 2000, commitPeriodSeconds: 2 },
  });
  expect(server.url).toBe(created.unionUrl);
  const local: LocalUnion = {
    chainUrl: first.chainUrl,
    unionUrl: server.url,
    deployment: {
      ...first.deployment,
      dataUnion: options.dataUnion,
      productId: options.product!.productId,
      admin: options.admin,
      operator: options.operator,
      startBlock: options.chain!.startBlock,
    },
    appSecret: '',
    dataDir,
    freshDeploy: true,
    server,
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await publishTestConfig(local);
    const token = await signIn(local, 'admin', new Wallet(devAccount(DEV_ROLES.admin).privateKey));
    const response = await fetch(`${server.url}/v1/admin/secrets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ label: 'baked into the e2e extension build' }),
    });
    expect(response.status).toBe(201);
    return { ...local, appSecret: ((await response.json()) as { secret: string }).secret };
  } catch (error) {
    await local.close();
    throw error;
  }
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * Builds the marketplace page as a static site (`npm run build:marketplace`) for `first`'s
 * Marketplace, reading the chain through its URL (no wallet), and serves the folder on a free
 * port the way any static host would: files as they are, no CSP, no union behind it.
 */
export async function serveStaticMarketplace(
  first: LocalUnion,
): Promise<{ url: string; close: () => Promise<void> }> {
  const build = spawnSync('npm', ['run', 'build:marketplace'], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: {
      ...process.env,
      VITE_MARKETPLACE_CHAIN_ID: first.deployment.chainId,
      VITE_MARKETPLACE_ADDRESS: first.deployment.marketplace,
      VITE_MARKETPLACE_RPC_URL: first.chainUrl,
    },
  });
  if (build.status !== 0)
    throw new Error(`build:marketplace failed\n${build.stdout}${build.stderr}`);
  const root = path.join(repoRoot, 'dist-marketplace');
  const server = createServer((request, response) => {
    const name =
      new URL(request.url ?? '/', 'http://x').pathname.replace(/^\/+/, '') || 'index.html';
    const file = path.resolve(root, name);
    if (!file.startsWith(root + path.sep)) return void response.writeHead(404).end();
    readFile(file).then(
      (body) => {
        response.writeHead(200, {
          'content-type': contentTypes[path.extname(file)] ?? 'application/octet-stream',
        });
        response.end(body);
      },
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
