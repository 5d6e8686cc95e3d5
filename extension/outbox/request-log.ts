/**
 * The request log behind "What was sent" (issue 15 item 6): every HTTP request the extension
 * makes to the union — join, leave, member status, config, earnings, withdrawal, reports — with
 * method, path, time, the exact body and the union's answer status. An entry is written before
 * the request leaves (so a worker killed mid-request still shows it) and completed with the
 * answer. Bounded: the newest `REQUEST_LOG_MAX_ENTRIES` entries, none older than
 * `REQUEST_LOG_MAX_AGE_MS`, pruned on each write.
 */
import { newestFirst, type CrowdsellDb } from '../storage/database.ts';
import type { RequestLogRecord } from '../storage/schema.ts';

export const REQUEST_LOG_MAX_ENTRIES = 1000;
export const REQUEST_LOG_MAX_AGE_MS = 90 * 86_400_000;

export type NewRequest = Pick<RequestLogRecord, 'at' | 'method' | 'path' | 'body'>;

/** Logs a request about to leave and prunes the log; returns the entry's id. */
export async function logRequest(db: CrowdsellDb, request: NewRequest): Promise<number> {
  const tx = db.transaction('request-log', 'readwrite');
  const id = await tx.store.add({ ...request, status: null, answeredAt: null, error: null });
  let tooOld = await tx.store
    .index('by-at')
    .openCursor(IDBKeyRange.upperBound(request.at - REQUEST_LOG_MAX_AGE_MS, true));
  while (tooOld) {
    await tooOld.delete();
    tooOld = await tooOld.continue();
  }
  let excess = (await tx.store.count()) - REQUEST_LOG_MAX_ENTRIES;
  let oldest = excess > 0 ? await tx.store.openCursor() : null;
  while (oldest && excess > 0) {
    await oldest.delete();
    excess -= 1;
    oldest = await oldest.continue();
  }
  await tx.done;
  return id;
}

/** Completes an entry with the union's answer status, or why no answer came. */
export async function logAnswer(
  db: CrowdsellDb,
  id: number,
  answer: Pick<RequestLogRecord, 'status' | 'answeredAt' | 'error'>,
): Promise<void> {
  const tx = db.transaction('request-log', 'readwrite');
  const entry = await tx.store.get(id);
  if (entry) await tx.store.put({ ...entry, ...answer });
  await tx.done;
}

/** The newest `limit` entries, newest first. */
export async function requestLog(db: CrowdsellDb, limit: number): Promise<RequestLogRecord[]> {
  return newestFirst(db, 'request-log', limit);
}
