/**
 * A union for console tests: started in-process on a free port with PGlite in a temp folder, the
 * dev account 0 as admin and a v1 config signed by it. Signing needs no deployed contract, so
 * without `chain` the DataUnion address is any address. With `chain: true` the contracts are
 * deployed on the in-process EVM (served over JSON-RPC for the page's wallet), the union runs its
 * revenue watcher and committer on demand, and helpers seed members, reports and a purchase.
 * The console is built first if `dist-console/` is missing.
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { JsonRpcProvider, Wallet } from 'ethers';

import {
  connectRpc,
  devAccount,
  DEV_CHAIN_ID,
  startChainServer,
  type ChainServer,
} from '../../../contracts/chain.ts';
import { marketplaceAt } from '../../../contracts/generated/marketplace.ts';
import { testTokenAt } from '../../../contracts/generated/test-token.ts';
import { unionFixture, type UnionFixture } from '../../../contracts/testing/fixture.ts';
import {
  configTypedData,
  type SignedConfig,
  type UnionConfig,
} from '../../../extension/protocol/config.ts';
import {
  asTypes,
  joinRequestTypes,
  reportTypes,
  unionDomain,
} from '../../../extension/protocol/eip712.ts';
import { defaultPrivacy } from '../../../extension/protocol/privacy.ts';
import { buildSiweMessage } from '../../../extension/protocol/siwe.ts';
import { categories } from '../../../extension/protocol/taxonomy.ts';
import { startUnion } from '../../../union/app.ts';

export const CONSOLE_DIR = join(import.meta.dirname, '..', '..', '..', 'dist-console');

export function ensureConsoleBuilt(): void {
  if (!existsSync(join(CONSOLE_DIR, 'index.html'))) {
    execSync('npm run build:console', { stdio: 'inherit', cwd: join(CONSOLE_DIR, '..') });
  }
}

const DAY = 86_400;

async function json<T>(response: Response, what: string): Promise<T> {
  if (!response.ok) throw new Error(`${what} failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export async function startConsoleUnion(options: { chain?: boolean } = {}) {
  const admin = new Wallet(devAccount(0).privateKey);
  let fixture: UnionFixture | null = null;
  let chainServer: ChainServer | null = null;
  if (options.chain) {
    fixture = await unionFixture();
    chainServer = await startChainServer({ port: 0 });
  }
  const dataUnion = fixture?.deployment.dataUnion ?? Wallet.createRandom().address;
  const chainId = Number(DEV_CHAIN_ID);
  const domain = unionDomain(chainId, dataUnion);
  const first = categories[0]!;
  // The union and the browser run on the wall clock here (real Chromium, real chain). Reports
  // count back from the day this union started, not the day each one is sent: a midnight between
  // two `report` calls would otherwise file "1 day ago" and "2 days ago" under the same epoch.
  const today = Math.floor(Date.now() / 1000 / DAY);
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
  const initialConfig: SignedConfig = {
    config,
    signature: await admin.signTypedData(domain, types, message),
    signer: admin.address.toLowerCase(),
  };
  const dataDir = mkdtempSync(join(tmpdir(), 'crowdsell-console-'));
  const union = await startUnion({
    chainId,
    dataUnion,
    admin: admin.address,
    operator: devAccount(1).address,
    port: 0,
    database: { driver: 'pglite', dataDir },
    logLevel: 'silent',
    recoverThreads: 0,
    initialConfig,
    ...(fixture && chainServer
      ? {
          productIntervalMs: 0,
          chain: {
            rpcUrl: chainServer.url,
            operatorKey: devAccount(1).privateKey,
            tokenAddress: fixture.deployment.token,
            startBlock: fixture.deployment.startBlock,
            pollIntervalMs: 0,
            // Members joined a moment ago earn at once (the default waits 7 days).
            minMembershipAgeSeconds: 0,
          },
        }
      : {}),
  });
  // Without a chain the test wallet only signs: this provider is never asked.
  const rpc = chainServer
    ? connectRpc(chainServer.url)
    : new JsonRpcProvider('http://127.0.0.1:9', chainId, { staticNetwork: true });
  const needChain = () => {
    if (!fixture || !union.monoplasma) throw new Error('start the union with { chain: true }');
    return { f: fixture, jobs: union.monoplasma };
  };
  /** A bearer session for the admin, signed in with SIWE from Node. */
  const adminToken = async () => {
    const { nonce } = await json<{ nonce: string }>(
      await fetch(`${union.url}/v1/admin/nonce`),
      'nonce',
    );
    const origin = new URL(union.url);
    const message = buildSiweMessage({
      domain: origin.host,
      address: admin.address,
      uri: origin.origin,
      chainId,
      nonce,
      issuedAt: new Date(),
    });
    const session = await json<{ token: string }>(
      await fetch(`${union.url}/v1/admin/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message, signature: await admin.signMessage(message) }),
      }),
      'admin sign-in',
    );
    return session.token;
  };
  let secret: string | null = null;
  return {
    url: union.url,
    admin,
    dataUnion,
    chainId,
    domain,
    rpc,
    categoryId: first.id,
    adminToken,
    /** Joins with an app secret (created once), approved if auto-join is off: active. */
    async joinActive(member: Wallet) {
      if (!secret) {
        const created = await json<{ secret: string }>(
          await fetch(`${union.url}/v1/admin/secrets`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${await adminToken()}`,
              'content-type': 'application/json',
            },
            body: '{}',
          }),
          'secret',
        );
        secret = created.secret;
      }
      const request = { member: member.address, issuedAt: Math.floor(Date.now() / 1000) };
      const signature = await member.signTypedData(domain, asTypes(joinRequestTypes), request);
      const joined = await json<{ member: { status: string } }>(
        await fetch(`${union.url}/v1/join`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ request, signature, secret }),
        }),
        'join',
      );
      // With auto-join switched off, a secret no longer admits at once: approve as the admin.
      if (joined.member.status === 'pending') {
        await json(
          await fetch(`${union.url}/v1/admin/members/${member.address.toLowerCase()}/approve`, {
            method: 'POST',
            headers: { authorization: `Bearer ${await adminToken()}` },
          }),
          'approve',
        );
      }
    },
    /** A signed report for the daily epoch `daysAgo` days back (closed, in the window). */
    async report(member: Wallet, daysAgo: number, visits = 3) {
      const report = {
        member: member.address,
        epochStart: (today - daysAgo) * DAY,
        epochSeconds: DAY,
        configVersion: 1,
        counts: [{ category: first.id, visits, activeSeconds: 60 * visits }],
      };
      const signature = await member.signTypedData(domain, asTypes(reportTypes), report);
      await json(
        await fetch(`${union.url}/v1/reports`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ report, signature }),
        }),
        'report',
      );
    },
    /** The researcher (dev account 3) buys `seconds` of the product; returns the amount paid. */
    async purchase(seconds: bigint): Promise<bigint> {
      const { f } = needChain();
      const product = await f.market.getProduct(f.deployment.productId);
      const amount = product.pricePerSecond * seconds;
      await (await f.token.mint(f.researcher.address, amount)).wait();
      await (
        await testTokenAt(f.deployment.token, f.researcher).approve(
          f.deployment.marketplace,
          amount,
        )
      ).wait();
      await (
        await marketplaceAt(f.deployment.marketplace, f.researcher).buy(
          f.deployment.productId,
          seconds,
          amount,
        )
      ).wait();
      return amount;
    },
    /** Revenue watcher, committer and the union's own validator check, once each. */
    commit() {
      return needChain().jobs.commit();
    },
    /** Asks to join without a secret: the member stays pending. */
    async requestJoin(member: Wallet) {
      const request = { member: member.address, issuedAt: Math.floor(Date.now() / 1000) };
      const signature = await member.signTypedData(domain, asTypes(joinRequestTypes), request);
      const response = await fetch(`${union.url}/v1/join`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ request, signature }),
      });
      if (!response.ok) throw new Error(`join failed: ${response.status} ${await response.text()}`);
    },
    async close() {
      rpc.destroy();
      await union.close();
      await chainServer?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type ConsoleUnion = Awaited<ReturnType<typeof startConsoleUnion>>;
