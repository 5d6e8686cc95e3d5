/**
 * Test support for the core (not shipped: only `*.test.ts` and the benchmark import it): signed
 * configs, a recording scheduler, a controllable clock and an in-memory app.
 */
import { inProcessDapCrypto } from '../dap/in-process-crypto.ts';
import { Wallet } from 'ethers';

import type { AlarmName, AppDeps, Scheduler, UnionSettings } from '../app/app-deps.ts';
import type { AggregationChoice } from '../protocol/config-aggregation.ts';
import { configTypedData, type SignedConfig, type UnionConfig } from '../protocol/config.ts';
import { unionDomain } from '../protocol/eip712.ts';
import { STORE_LIMITS } from '../protocol/privacy-budget.ts';
import { categories } from '../protocol/taxonomy.ts';
import { openCrowdsellDb } from '../storage/database.ts';

/** Hardhat's well-known first account: never holds anything real. */
export const adminWallet = new Wallet(
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
);

export const testSettings: UnionSettings = {
  unionUrl: 'http://127.0.0.1:9',
  chainId: 31_337,
  dataUnionAddress: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  adminAddress: adminWallet.address,
  appSecret: null,
};

export const testDomain = unionDomain(testSettings.chainId, testSettings.dataUnionAddress);

export function categoryId(key: string): number {
  const found = categories.find((c) => c.key === key);
  if (!found) throw new Error(`no taxonomy category ${key}`);
  return found.id;
}

export function makeConfig(overrides: Partial<UnionConfig> = {}): UnionConfig {
  return {
    version: 1,
    issuedAt: 1_700_000_000,
    epochSeconds: 86_400,
    categories: [
      {
        id: categoryId('shopping'),
        key: 'shopping',
        label: 'Shopping',
        description: 'Online shops.',
        domains: ['crowdsell-shop.com'],
      },
      {
        id: categoryId('news'),
        key: 'news',
        label: 'News',
        description: 'News sites.',
        domains: ['crowdsell-news.com'],
      },
    ],
    privacy: { epsilon: 2, maxVisits: 50, maxActiveSeconds: 14_400, kThreshold: 50 },
    minExtensionVersion: '0.1.0',
    ...overrides,
  };
}

/** The code a `CrowdsellError` thrown by `task` carries; null when nothing is thrown. */
export function thrownCode(task: () => unknown): string | null {
  try {
    task();
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? 'no code';
  }
}

/** A DAP `HpkeConfig` (X25519, HKDF-SHA256, AES-128-GCM, a 32-byte key filled with `id`), base64url. */
export function testHpkeConfig(id: number): string {
  const key = new Array<number>(32).fill(id);
  return Buffer.from([id, 0, 0x20, 0, 1, 0, 1, 0, 32, ...key]).toString('base64url');
}

/** What an admin chooses for an aggregation block (the rest follows from the config). */
export const testAggregationChoice: AggregationChoice = {
  taskId: Buffer.alloc(32, 7).toString('base64url'),
  leaderUrl: 'https://union.example.org/dap/',
  helperUrl: 'https://helper.example.net/',
  helperHpkeConfig: testHpkeConfig(2),
  centralEpsilon: 1,
};

export async function signConfig(
  config: UnionConfig,
  signer: Pick<Wallet, 'address' | 'signTypedData'> = adminWallet,
  domain = testDomain,
): Promise<SignedConfig> {
  const { types, message } = configTypedData(config);
  const signature = await signer.signTypedData(domain, types, message);
  return { config, signature, signer: signer.address };
}

export interface RecordingScheduler extends Scheduler {
  alarms: Map<AlarmName, { when?: number; period?: number }>;
}

export function recordingScheduler(): RecordingScheduler {
  const alarms = new Map<AlarmName, { when?: number; period?: number }>();
  return {
    alarms,
    at: (name, when) => {
      alarms.set(name, { when });
      return Promise.resolve();
    },
    every: (name, period) => {
      alarms.set(name, { period });
      return Promise.resolve();
    },
    clear: (name) => {
      alarms.delete(name);
      return Promise.resolve();
    },
  };
}

export interface Clock {
  now: () => number;
  set: (ms: number) => void;
  advance: (ms: number) => void;
}

export function clock(startMs: number): Clock {
  let current = startMs;
  return {
    now: () => current,
    set: (ms) => (current = ms),
    advance: (ms) => (current += ms),
  };
}

let dbCounter = 0;

/** A unique database name per test (fake-indexeddb is process-global). */
export function uniqueDbName(): string {
  dbCounter += 1;
  return `crowdsell-test-${process.pid}-${dbCounter}-${Math.random().toString(36).slice(2)}`;
}

export function testDeps(
  overrides: Partial<AppDeps> = {},
): AppDeps & { scheduler: RecordingScheduler } {
  const name = uniqueDbName();
  const scheduler = recordingScheduler();
  return {
    openDb: () => openCrowdsellDb(name),
    settings: testSettings,
    now: () => Date.now(),
    random: Math.random,
    crypto: globalThis.crypto,
    fetch: () => Promise.reject(new Error('no network in this test')),
    scheduler,
    extensionVersion: '0.1.0',
    testHooks: true,
    privacyLimits: STORE_LIMITS,
    backupScrypt: { N: 1024, r: 8, p: 1 },
    dapCrypto: inProcessDapCrypto(),
    ...overrides,
  } as AppDeps & { scheduler: RecordingScheduler };
}
