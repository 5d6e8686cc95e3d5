/**
 * The extension's one IndexedDB schema (STYLE rule 4). Every store is declared here with the type
 * of its records; `migrations.ts` creates and upgrades it one numbered version at a time.
 *
 * Only the service worker opens this database: pages talk to it through messages, so the worker
 * is the single writer and may keep a read cache of small records.
 */
import type { DBSchema } from 'idb';

import type { SignedConfig } from '../protocol/config.ts';
import type { AggregationBlock } from '../protocol/config-aggregation.ts';
import type { BudgetLedger } from '../protocol/privacy-budget.ts';

export const DB_NAME = 'crowdsell';

/** The member key, sealed with AES-GCM under a non-extractable WebCrypto key kept beside it. */
export interface SealedMemberKey {
  address: string;
  /** Non-extractable AES-GCM key (CryptoKey objects are structured-cloneable). */
  wrappingKey: CryptoKey;
  iv: Uint8Array<ArrayBuffer>;
  ciphertext: ArrayBuffer;
  createdAt: number;
}

export interface CategoryConsent {
  enabled: boolean;
  /** Added by a config after the member last looked at the list. */
  isNew: boolean;
  changedAt: number;
}

export interface ConsentState {
  /** When the member gave onboarding consent; null: not given (nothing is recorded). */
  givenAt: number | null;
  withdrawnAt: number | null;
  categories: Record<string, CategoryConsent>;
  /** Paused: until this time (ms), or indefinitely (`Infinity` is not cloneable: use null). */
  pause: { since: number; until: number | null } | null;
  /**
   * When every category was switched off because Firefox's `browsingActivity` data-collection
   * permission was missing; absent once the member switches a category on again. Optional, so
   * records written before it existed need no migration.
   */
  dataCollectionRevokedAt?: number;
  /**
   * A privacy change the member has not confirmed yet (extension/consent/privacy-change.ts): its
   * categories record nothing until then. Optional, so older records need no migration.
   */
  privacyChange?: PendingPrivacyChange;
}

/** One line of a privacy change, rendered by the popup. */
export type PrivacyChangeItem =
  | {
      kind:
        | 'daily-epsilon'
        | 'epsilon'
        | 'epoch-seconds'
        | 'max-visits'
        | 'max-active-seconds'
        | 'k-threshold';
      from: number;
      to: number;
    }
  | { kind: 'rules'; category: number; label: string; added: string[]; removed: string[] }
  /**
   * Who receives the reports changed: `null` is plain reports to the union, else the two
   * aggregators' hosts (`leader + helper`) of the config's aggregation block.
   */
  | { kind: 'aggregators'; from: string | null; to: string | null };

export interface PendingPrivacyChange {
  /** The config the member last agreed to, and the one now in force. */
  fromVersion: number;
  toVersion: number;
  /** When the change was first held (ms). */
  at: number;
  /** Switched-on categories held until the member confirms. */
  categories: number[];
  changes: PrivacyChangeItem[];
  /** The agreed config, so later configs are compared with it, not with each other. */
  baseline: SignedConfig['config'];
}

export interface HeldConfig {
  signed: SignedConfig;
  acceptedAt: number;
}

export interface ConfigStatus {
  lastFetchAt: number | null;
  lastError: { code: string; message: string; at: number } | null;
}

export type JoinStatus = 'not-joined' | 'pending' | 'active' | 'left' | 'removed' | 'rejected';

export interface JoinState {
  member: string;
  status: JoinStatus;
  requestedAt: number | null;
  checkedAt: number | null;
  lastError: { code: string; message: string } | null;
}

/** The span of attention currently being timed (active tab, focused window, user not idle). */
export interface AttentionSpan {
  category: number;
  since: number;
}

/** Values of the `state` store, by key. */
export interface StateRecords {
  consent: ConsentState;
  config: HeldConfig;
  'config-status': ConfigStatus;
  join: JoinState;
  attention: AttentionSpan | null;
  /** Epochs starting before this (seconds) are closed: late credits for them are dropped. */
  'closed-before': number;
  /**
   * Every epoch starting before this (seconds) has its report queued (or was dropped: nothing
   * on, or too old). Moved in the same transaction as each queued report, so a worker killed
   * mid-close leaves no epoch unreported. Absent on older installs: `closed-before` stands in.
   */
  'reported-before': number;
  /** Test builds only: `false` switches report noise off (never settable by a config). */
  'test-noise': boolean;
  /** What each reported epoch spent of the privacy budget (protocol/privacy-budget.ts). */
  'privacy-budget': BudgetLedger;
}
export type StateKey = keyof StateRecords;

export interface CategoryTally {
  visits: number;
  activeMs: number;
}

/** One open epoch's true (un-noised) tallies; they never leave the device. */
export interface EpochRecord {
  epochStart: number;
  epochSeconds: number;
  tallies: Record<string, CategoryTally>;
}

/** What of the signed config's aggregation block a DAP report needs, as it was at the close. */
export type DapTaskSnapshot = Pick<
  AggregationBlock,
  'taskId' | 'leaderUrl' | 'helperHpkeConfig' | 'leaderHpkeConfig' | 'vdaf' | 'timePrecisionSeconds'
>;

/**
 * A DAP report (docs/private-aggregation.md) instead of a plain one: the measurement is made at
 * the epoch close; the upload (sharding, signature, both seals) is built once, at the first send
 * attempt, and its bytes stored before they leave, so every retry sends the same bytes and no
 * second sharding of an epoch ever exists outside the device.
 */
export interface DapReportPart {
  task: DapTaskSnapshot;
  /** Category ids in vector order (`categoryTask`). */
  categoryIds: number[];
  /** The Prio3SumVec measurement: per category flag, clipped visits, clipped active minutes. */
  measurement: number[];
  /** Whether local noise was added to `measurement` (`aggregation.localNoise`). */
  localNoise: boolean;
  /** The `application/dap-report` body as hex, once built; never rebuilt. */
  bytes: string | null;
  /** The report id (hex), once built. */
  reportId: string | null;
}

export interface OutboxRecord {
  epochStart: number;
  member: string;
  /**
   * The request body exactly as it is (and will be again) sent: `{report, signature}` JSON; empty
   * for a DAP report (`dap` holds its bytes).
   */
  body: string;
  /** Present for a DAP report (absent on plain reports and older records). */
  dap?: DapReportPart;
  createdAt: number;
  attempts: number;
  /** Before the first attempt: the report's random send time (`send-time.ts`). */
  nextAttemptAt: number;
  lastError: { status: number | null; code: string; message: string; at: number } | null;
  /** The report's epoch length, for re-drawing a missed send time (absent on older records). */
  epochSeconds?: number;
}

/** `withheld`: the member withheld it before its send time; it was deleted, never sent. */
export type SentOutcome = 'stored' | 'conflict' | 'rejected' | 'withheld';

export interface SentLogRecord {
  id?: number;
  epochStart: number;
  member: string;
  /** Exactly the bytes sent (empty for a DAP report: `dap.bytes`). */
  body: string;
  /** Present for a DAP report. */
  dap?: DapReportPart;
  firstAttemptAt: number;
  answeredAt: number;
  attempts: number;
  outcome: SentOutcome;
  /** The union's answer: HTTP status and body text (truncated to 4 KB). */
  answer: { status: number | null; body: string };
}

/** One HTTP request the extension made to the union, as the member sees it in "What was sent". */
export interface RequestLogRecord {
  id?: number;
  /** When the request left (ms). */
  at: number;
  method: string;
  /** Path and query on the union's address (the build's `unionUrl`). */
  path: string;
  /** The request body exactly as sent, or null (no body). */
  body: string | null;
  /** The union's HTTP status; null until it answers, or when no answer came (`error`). */
  status: number | null;
  answeredAt: number | null;
  /** Why no answer came (network error, timeout), in a sentence. */
  error: string | null;
}

export interface ExclusionRecord {
  site: string;
  addedAt: number;
}

export interface CrowdsellSchema extends DBSchema {
  vault: { key: 'member'; value: SealedMemberKey };
  state: { key: StateKey; value: StateRecords[StateKey] };
  epochs: { key: number; value: EpochRecord };
  outbox: { key: number; value: OutboxRecord; indexes: { 'by-next-attempt': number } };
  'sent-log': { key: number; value: SentLogRecord; indexes: { 'by-epoch': number } };
  exclusions: { key: string; value: ExclusionRecord };
  'request-log': { key: number; value: RequestLogRecord; indexes: { 'by-at': number } };
}

export type StoreName =
  'vault' | 'state' | 'epochs' | 'outbox' | 'sent-log' | 'exclusions' | 'request-log';
