/**
 * The core's working context: the open database, the key vault and a read cache of the small
 * records every event needs (consent, config, domain rules, exclusions, join state). The service
 * worker is the only writer, so the cache is updated together with each write (under a lock).
 */
import { buildDomainRules, type DomainRules } from '../classifier/classify.ts';
import { initialConsent } from '../consent/consent-rules.ts';
import { readState, type CrowdsellDb } from '../storage/database.ts';
import type {
  AttentionSpan,
  ConfigStatus,
  ConsentState,
  HeldConfig,
  JoinState,
} from '../storage/schema.ts';
import { createKeyVault, type KeyVault } from '../vault/key-vault.ts';
import type { AppDeps } from './app-deps.ts';

export interface AppState {
  address: string;
  consent: ConsentState;
  config: HeldConfig | undefined;
  configStatus: ConfigStatus;
  rules: DomainRules;
  exclusions: Set<string>;
  join: JoinState;
  attention: AttentionSpan | null;
  /** false only when a test build's hook switched noise off. */
  noise: boolean;
  /** End (ms) of the epoch the close alarm is set for, to avoid re-arming it on every visit. */
  closeAlarmAt: number | null;
}

export interface Ctx {
  deps: AppDeps;
  db: CrowdsellDb;
  vault: KeyVault;
  state: AppState;
}

export function rulesFor(config: HeldConfig | undefined): DomainRules {
  return buildDomainRules(config?.signed.config.categories ?? []);
}

export function freshJoin(member: string): JoinState {
  return { member, status: 'not-joined', requestedAt: null, checkedAt: null, lastError: null };
}

export async function createContext(deps: AppDeps): Promise<Ctx> {
  const db = await deps.openDb();
  const vault = createKeyVault({ db, crypto: deps.crypto, now: deps.now });
  // First run: the member key is created now (DESIGN §7), before anything can be signed.
  const address = await vault.address();
  const [consent, config, configStatus, join, attention, noise, exclusions] = await Promise.all([
    readState(db, 'consent'),
    readState(db, 'config'),
    readState(db, 'config-status'),
    readState(db, 'join'),
    readState(db, 'attention'),
    readState(db, 'test-noise'),
    db.getAllKeys('exclusions'),
  ]);
  return {
    deps,
    db,
    vault,
    state: {
      address,
      consent: consent ?? initialConsent(),
      config,
      configStatus: configStatus ?? { lastFetchAt: null, lastError: null },
      rules: rulesFor(config),
      exclusions: new Set(exclusions),
      join: join && join.member === address ? join : freshJoin(address),
      attention: attention ?? null,
      noise: deps.testHooks ? noise !== false : true,
      closeAlarmAt: null,
    },
  };
}
