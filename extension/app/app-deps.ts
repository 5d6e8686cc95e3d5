/**
 * What the core needs from its host (the service worker, or a test): storage, clocks, randomness,
 * the network and alarms, passed in so that nothing in `extension/` touches a browser API.
 */
import type { DapCrypto } from '../dap/dap-crypto.ts';
import type { UnionDomain } from '../protocol/eip712.ts';
import type { PrivacyLimits } from '../protocol/privacy-budget.ts';
import type { CrowdsellDb } from '../storage/database.ts';

/** Build-time facts about the union this extension belongs to. */
export interface UnionSettings {
  unionUrl: string;
  chainId: number;
  dataUnionAddress: string;
  adminAddress: string;
  /** App secret baked into the build (optional): joining with it is accepted at once. */
  appSecret: string | null;
}

export function domainOf(settings: UnionSettings): UnionDomain {
  return {
    name: 'Crowdsell',
    version: '1',
    chainId: settings.chainId,
    verifyingContract: settings.dataUnionAddress,
  };
}

/** Named wake-ups (`chrome.alarms` in the worker). */
export interface Scheduler {
  at(name: AlarmName, whenMs: number): Promise<void>;
  every(name: AlarmName, periodMinutes: number): Promise<void>;
  clear(name: AlarmName): Promise<void>;
}

export const alarmNames = [
  'epoch-close',
  'outbox-flush',
  'config-refresh',
  'attention-tick',
  'pause-end',
  'join-check',
] as const;
export type AlarmName = (typeof alarmNames)[number];

export function isAlarmName(name: string): name is AlarmName {
  return (alarmNames as readonly string[]).includes(name);
}

export interface AppDeps {
  openDb: () => Promise<CrowdsellDb>;
  settings: UnionSettings;
  now: () => number;
  random: () => number;
  crypto: Crypto;
  fetch: typeof fetch;
  scheduler: Scheduler;
  extensionVersion: string;
  /** Test builds only: lets the e2e hook switch noise off. Production passes false. */
  testHooks: boolean;
  /**
   * The privacy floors and budget caps configs and reports must meet: `STORE_LIMITS` in a store
   * build; development and e2e builds pass `DEVELOPMENT_LIMITS` (short epochs, small k).
   */
  privacyLimits: PrivacyLimits;
  /**
   * Where a DAP upload is sharded and sealed (`dap/dap-crypto.ts`): the extension's worker passes a
   * worker it starts when a report is built; Node tests import the code in-process.
   */
  dapCrypto: DapCrypto;
  /** scrypt cost of backups (tests lower it; production uses the default). */
  backupScrypt?: { N: number; r: number; p: number } | undefined;
}
