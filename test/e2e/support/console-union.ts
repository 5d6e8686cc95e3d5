/**
 * A union for console tests: started in-process on a free port with PGlite in a temp folder, the
 * dev account 0 as admin and a v1 config signed by it. Signing needs no deployed contract, so the
 * DataUnion address is any address. The console is built first if `dist-console/` is missing.
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { JsonRpcProvider, Wallet } from 'ethers';

import { devAccount, DEV_CHAIN_ID } from '../../../contracts/chain.ts';
import {
  configTypedData,
  type SignedConfig,
  type UnionConfig,
} from '../../../extension/protocol/config.ts';
import { asTypes, joinRequestTypes, unionDomain } from '../../../extension/protocol/eip712.ts';
import { defaultPrivacy } from '../../../extension/protocol/privacy.ts';
import { categories } from '../../../extension/protocol/taxonomy.ts';
import { startUnion } from '../../../union/app.ts';

export const CONSOLE_DIR = join(import.meta.dirname, '..', '..', '..', 'dist-console');

export function ensureConsoleBuilt(): void {
  if (!existsSync(join(CONSOLE_DIR, 'index.html'))) {
    execSync('npm run build:console', { stdio: 'inherit', cwd: join(CONSOLE_DIR, '..') });
  }
}

export async function startConsoleUnion() {
  const admin = new Wallet(devAccount(0).privateKey);
  const dataUnion = Wallet.createRandom().address;
  const chainId = Number(DEV_CHAIN_ID);
  const domain = unionDomain(chainId, dataUnion);
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
  });
  // Nothing here reaches a chain: the test wallet only signs; this provider is never asked.
  const rpc = new JsonRpcProvider('http://127.0.0.1:9', chainId, { staticNetwork: true });
  return {
    url: union.url,
    admin,
    dataUnion,
    chainId,
    domain,
    rpc,
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
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type ConsoleUnion = Awaited<ReturnType<typeof startConsoleUnion>>;
