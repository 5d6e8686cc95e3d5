/**
 * Opening the database and the small helpers every part uses: typed `state` records, and a
 * single-writer lock for read-modify-write sequences that span more than one transaction.
 */
import { deleteDB, openDB, type IDBPDatabase } from 'idb';

import { DB_VERSION, runMigrations } from './migrations.ts';
import { DB_NAME, type CrowdsellSchema, type StateKey, type StateRecords } from './schema.ts';

export type CrowdsellDb = IDBPDatabase<CrowdsellSchema>;

export async function openCrowdsellDb(name: string = DB_NAME): Promise<CrowdsellDb> {
  return openDB<CrowdsellSchema>(name, DB_VERSION, {
    upgrade(db, oldVersion, newVersion, tx) {
      runMigrations(db, oldVersion, newVersion ?? DB_VERSION, tx);
    },
    blocking(_current, _next, event) {
      // Another context wants to upgrade or delete: let it, we reopen on next use.
      (event.target as IDBDatabase | null)?.close();
    },
  });
}

/** Closes and deletes the database: every local record, the member key included. */
export async function deleteCrowdsellDb(db: CrowdsellDb): Promise<void> {
  const { name } = db;
  db.close();
  await deleteDB(name);
}

export async function readState<K extends StateKey>(
  db: CrowdsellDb,
  key: K,
): Promise<StateRecords[K] | undefined> {
  return (await db.get('state', key)) as StateRecords[K] | undefined;
}

/** The newest `limit` records of a log store (auto-increment keys), newest first. */
export async function newestFirst<S extends 'sent-log' | 'request-log'>(
  db: CrowdsellDb,
  store: S,
  limit: number,
): Promise<CrowdsellSchema[S]['value'][]> {
  const records: CrowdsellSchema[S]['value'][] = [];
  let cursor = await db.transaction(store).store.openCursor(null, 'prev');
  while (cursor && records.length < limit) {
    records.push(cursor.value);
    cursor = await cursor.continue();
  }
  return records;
}

interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `task` with the named lock held: `navigator.locks` where the platform has it (service
 * worker, pages), otherwise an in-process queue (Node tests). Use it around read-modify-write
 * sequences that await something other than IndexedDB (signing, fetch), which would end a
 * transaction early.
 */
export async function withLock<T>(name: string, task: () => Promise<T>): Promise<T> {
  const locks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
  if (locks) return locks.request(`crowdsell:${name}`, task);
  const previous = queues.get(name) ?? Promise.resolve();
  const run = previous.then(task, task);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(name, settled);
  try {
    return await run;
  } finally {
    if (queues.get(name) === settled) queues.delete(name);
  }
}
