/**
 * The browser-independent steps of the money loop, shared by the Chromium spec
 * (test/e2e/money-loop.spec.ts) and the Firefox one (test/firefox-e2e/money-loop.e2e.ts): a local
 * union on free ports with one-minute epochs, config v2 with domain rules for the test hosts,
 * SIWE sign-in, waiting for real epoch and activity-batch boundaries, the researcher's purchase,
 * the committed root and the freeze passed on the chain's clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { JsonRpcProvider } from 'ethers';
import { Wallet } from 'ethers';

import { devAccount, signerFor } from '../../../contracts/chain.ts';
import { dataUnionAt } from '../../../contracts/generated/data-union.ts';
import { marketplaceAt } from '../../../contracts/generated/marketplace.ts';
import { testTokenAt } from '../../../contracts/generated/test-token.ts';
import { continueTask } from '../../../extension/protocol/config-aggregation.ts';
import type { UnionConfig } from '../../../extension/protocol/config.ts';
import type { ResultOf } from '../../../extension/protocol/messages.ts';
import { unionDomain } from '../../../extension/protocol/eip712.ts';
import { buildSiweMessage } from '../../../extension/protocol/siwe.ts';
import { categories } from '../../../extension/protocol/taxonomy.ts';
import { defaultLocalConfig, signConfig } from '../../../union/local/default-config.ts';
import type { LocalAggregation } from '../../../union/local/local-aggregation.ts';
import {
  DEV_ROLES,
  LOCAL_ACTIVITY_BATCH_SECONDS,
  startLocalUnion,
  type LocalUnion,
} from '../../../union/local/local-union.ts';
import { freePort } from '../../../union/test-support/free-port.ts';
import { waitFor } from '../extension-helpers.ts';

export const EPOCH_SECONDS = 60;
export const FREEZE_SECONDS = 60n;
/** The union's acceptance window: an epoch is published this long after it ends. */
export const ACCEPTANCE_WINDOW_SECONDS = 60;
export const K = 2;
export const shopping = categories.find((c) => c.key === 'shopping')!;
export const news = categories.find((c) => c.key === 'news')!;
export const hosts = {
  shop: 'crowdsell-shop.com',
  news: 'crowdsell-news.com',
  deals: 'crowdsell-deals.com',
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function json<T>(response: Response, what: string): Promise<T> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

export interface MoneyLoopUnion {
  local: LocalUnion;
  /** The DAP task, when the union was started with one. */
  aggregation?: LocalAggregation;
  close(): Promise<void>;
}

/**
 * A local union in its own data folder, with one-minute epochs, a one-minute freeze, a short
 * acceptance window and config v2 published (see {@link publishTestConfig}). With `aggregation`
 * (which prepares the DAP task in the data folder, as `npm start` does), both configs carry the
 * task's aggregation block.
 */
export async function startMoneyLoopUnion(
  options: { aggregation?: (dataDir: string) => Promise<LocalAggregation> } = {},
): Promise<MoneyLoopUnion> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'crowdsell-money-loop-'));
  let local: LocalUnion | undefined;
  const close = async () => {
    await local?.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const aggregation = await options.aggregation?.(dataDir);
    local = await startLocalUnion({
      ...(aggregation ? { aggregation } : {}),
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
    await publishTestConfig(local, aggregation);
    return { local, ...(aggregation ? { aggregation } : {}), close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** SIWE sign-in at `/v1/<area>/nonce` + `/v1/<area>/session`; returns the bearer token. */
export async function signIn(
  local: LocalUnion,
  area: 'admin' | 'product',
  wallet: Wallet,
  statement?: string,
): Promise<string> {
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

/**
 * Config v2: k lowered to 2, and domain rules for the two categories the tests browse. With
 * `aggregation`, its block for v2 (k is the task's minimum batch size, so a changed k continues
 * v1's task under a new task id, as the console's editor does).
 */
export async function publishTestConfig(
  local: LocalUnion,
  aggregation?: Pick<LocalAggregation, 'block'>,
): Promise<UnionConfig> {
  const base = defaultLocalConfig(Math.floor(Date.now() / 1000) - 5, EPOCH_SECONDS);
  const domains: Record<string, string[]> = {
    [shopping.key]: [hosts.shop, hosts.deals],
    [news.key]: [hosts.news],
  };
  const plain: UnionConfig = {
    ...base,
    version: 2,
    categories: base.categories.map((c) => ({ ...c, domains: domains[c.key] ?? [] })),
    privacy: { ...base.privacy, kThreshold: K },
  };
  const config: UnionConfig = aggregation
    ? {
        ...plain,
        aggregation: continueTask(aggregation.block(base), aggregation.block(plain)),
      }
    : plain;
  const admin = new Wallet(devAccount(DEV_ROLES.admin).privateKey);
  const signed = await signConfig(config, admin, domainOf(local));
  const token = await signIn(local, 'admin', admin);
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

export function domainOf(local: LocalUnion) {
  return unionDomain(Number(local.deployment.chainId), local.deployment.dataUnion);
}

interface Earnings {
  total: string;
  withdrawn: string;
  withdrawable: string;
  pending: string;
  nextUsableAt: string | null;
}

export async function earningsOf(local: LocalUnion, address: string): Promise<Earnings> {
  return json<Earnings>(
    await fetch(`${local.unionUrl}/v1/members/${address}/earnings`),
    'GET earnings',
  );
}

async function rpc(local: LocalUnion, method: string, params: unknown[] = []): Promise<void> {
  await json(
    await fetch(local.chainUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    }),
    method,
  );
}

/**
 * Returns once at least `minLeftMs` of the current epoch is left, waiting for the next epoch
 * when fewer are: the visits that follow must fall into one epoch, whenever the test runs.
 */
export async function awaitRoomInEpoch(minLeftMs: number): Promise<void> {
  const msLeft = EPOCH_SECONDS * 1000 - (Date.now() % (EPOCH_SECONDS * 1000));
  if (msLeft < minLeftMs) await sleep(msLeft + 250);
}

/**
 * Members become active at the end of the activity batch their reports arrived in (one minute
 * here), once a block is stamped after it: waits for that and lets the watcher see it, so every
 * member who reported shares the revenue that follows.
 */
export async function activateReporters(local: LocalUnion): Promise<void> {
  const batchMs = LOCAL_ACTIVITY_BATCH_SECONDS * 1000;
  const batchEndMs = (Math.floor(Date.now() / batchMs) + 1) * batchMs;
  await sleep(batchEndMs - Date.now() + 250);
  await rpc(local, 'evm_mine');
  await local.server.monoplasma!.watch();
}

/**
 * The researcher buys one day of the product on the Marketplace; returns the token contract and
 * each member's share, computed here: the price minus the admin fee, split between `members`.
 */
export async function researcherBuysOneDay(
  local: LocalUnion,
  chain: JsonRpcProvider,
  members: bigint,
) {
  const researcher = signerFor(devAccount(DEV_ROLES.researcher).privateKey, chain);
  const market = marketplaceAt(local.deployment.marketplace, researcher);
  const token = testTokenAt(local.deployment.token, researcher);
  const seconds = 86_400n;
  const price = (await market.getProduct(local.deployment.productId)).pricePerSecond * seconds;
  await (await token.approve(local.deployment.marketplace, price)).wait();
  await (await market.buy(local.deployment.productId, seconds, price)).wait();
  const fee = await dataUnionAt(local.deployment.dataUnion, chain).adminFeeFraction();
  const share = (price - (price * fee) / 10n ** 18n) / members;
  return { token, share };
}

/** The watcher credits `share` to `member` and the committer commits a root holding it. */
export async function awaitCommittedShare(
  local: LocalUnion,
  member: string,
  share: bigint,
): Promise<void> {
  await waitFor(
    async () => {
      await local.server.monoplasma!.commit();
      const e = await earningsOf(local, member);
      return BigInt(e.total) === share && e.nextUsableAt !== null ? e : undefined;
    },
    'the revenue credited and committed in a root',
    30_000,
  );
}

/** The chain's clock passes the freeze; returns once `share` is withdrawable by `member`. */
export async function passFreeze(local: LocalUnion, member: string, share: bigint): Promise<void> {
  await rpc(local, 'evm_increaseTime', [Number(FREEZE_SECONDS) + 1]);
  await rpc(local, 'evm_mine');
  await waitFor(
    async () =>
      BigInt((await earningsOf(local, member)).withdrawable) === share ? true : undefined,
    'the root to become usable',
    15_000,
  );
}

/**
 * What a withdrawal from the popup left behind: the recipient's token balance, the member's
 * withdrawn total at the union, and the `POST /v1/withdrawals` the extension logged (its status
 * and its body, parsed) among `requests` (the `requestLog` entries).
 */
export async function withdrawalOutcome(
  local: LocalUnion,
  token: ReturnType<typeof testTokenAt>,
  { member, recipient }: { member: string; recipient: string },
  requests: ResultOf<'requestLog'>['entries'],
) {
  const logged = requests.find((r) => r.method === 'POST' && r.path === '/v1/withdrawals');
  return {
    received: await token.balanceOf(recipient),
    withdrawn: BigInt((await earningsOf(local, member)).withdrawn),
    status: logged?.status,
    body: JSON.parse(logged?.body ?? '{}') as unknown,
  };
}

/** Waits until the product may publish `epochStart`: its acceptance window has closed. */
export async function awaitAcceptanceWindow(epochStart: number): Promise<void> {
  const publishAtMs = (epochStart + EPOCH_SECONDS + ACCEPTANCE_WINDOW_SECONDS + 1) * 1000;
  if (Date.now() < publishAtMs) await sleep(publishAtMs - Date.now() + 250);
}

/** The researcher signs in and downloads the product's epoch in `format`; the body's text. */
export async function downloadEpoch(
  local: LocalUnion,
  epochStart: number,
  format: 'csv' | 'ndjson',
): Promise<string> {
  const bearer = await signIn(
    local,
    'product',
    new Wallet(devAccount(DEV_ROLES.researcher).privateKey),
    'Sign in to download Crowdsell aggregates.',
  );
  const response = await fetch(
    `${local.unionUrl}/v1/product/aggregates?format=${format}&from=${epochStart}&to=${epochStart + EPOCH_SECONDS}`,
    { headers: { authorization: `Bearer ${bearer}` } },
  );
  const text = await response.text();
  if (response.status !== 200) throw new Error(`product download: HTTP ${response.status} ${text}`);
  return text;
}
