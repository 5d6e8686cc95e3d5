/**
 * Numbered schema migrations, one function per version (STYLE rule 4). `migrations[i]` upgrades a
 * database at version `i` to version `i + 1`; `openCrowdsellDb` runs every step above the stored
 * version inside idb's `upgrade` (one versionchange transaction, so an upgrade is all or nothing).
 * Never edit a released step: add a new one.
 */
import type { IDBPDatabase, IDBPTransaction } from 'idb';

import type { CrowdsellSchema, StoreName } from './schema.ts';

export type UpgradeTransaction = IDBPTransaction<CrowdsellSchema, StoreName[], 'versionchange'>;
export type Migration = (db: IDBPDatabase<CrowdsellSchema>, tx: UpgradeTransaction) => void;

/** v1: the stores. */
function v1(db: IDBPDatabase<CrowdsellSchema>): void {
  db.createObjectStore('vault');
  db.createObjectStore('state');
  db.createObjectStore('epochs', { keyPath: 'epochStart' });
  db.createObjectStore('outbox', { keyPath: 'epochStart' });
  db.createObjectStore('sent-log', { keyPath: 'id', autoIncrement: true });
  db.createObjectStore('exclusions', { keyPath: 'site' });
}

/**
 * v2: indexes for the outbox scheduler (next due report) and for the sent log (by epoch), added on
 * the existing stores so every record written by v1 stays.
 */
function v2(_db: IDBPDatabase<CrowdsellSchema>, tx: UpgradeTransaction): void {
  tx.objectStore('outbox').createIndex('by-next-attempt', 'nextAttemptAt');
  tx.objectStore('sent-log').createIndex('by-epoch', 'epochStart');
}

/**
 * v3: the request log ("What was sent" lists every request made to the union, not only reports),
 * indexed by time for pruning by age. Existing stores and records are untouched.
 */
function v3(db: IDBPDatabase<CrowdsellSchema>): void {
  const log = db.createObjectStore('request-log', { keyPath: 'id', autoIncrement: true });
  log.createIndex('by-at', 'at');
}

export const migrations: readonly Migration[] = [v1, v2, v3];

export const DB_VERSION = migrations.length;

/** Runs the steps from `oldVersion` up to `newVersion` (idb's upgrade callback arguments). */
export function runMigrations(
  db: IDBPDatabase<CrowdsellSchema>,
  oldVersion: number,
  newVersion: number,
  tx: UpgradeTransaction,
  steps: readonly Migration[] = migrations,
): void {
  for (let version = oldVersion; version < newVersion; version++) {
    const step = steps[version];
    if (!step) throw new Error(`no migration from schema version ${version}`);
    step(db, tx);
  }
}
