/**
 * The durable outbox (DESIGN §2): signed reports wait in IndexedDB until the union gives a final
 * answer. 200 → stored; 409 → the union holds a different report for that epoch (first one wins):
 * recorded, not retried; another 4xx (not 429) → refused for good, recorded with the union's error;
 * 429, 5xx, timeouts and network errors → retried with backoff and jitter. A report leaves the
 * outbox and enters the sent log in one transaction, so delivery is at-least-once and the union's
 * idempotency (same bytes → 200) makes it exactly-once.
 */
import { CrowdsellError } from '../protocol/errors.ts';
import { errorBodySchema } from '../protocol/wire.ts';
import { newestFirst, type CrowdsellDb } from '../storage/database.ts';
import type { OutboxRecord, SentLogRecord, SentOutcome } from '../storage/schema.ts';
import { retryAfterMs, retryDelayMs } from './backoff.ts';
import { redrawMissedSendAt } from './send-time.ts';

export const REQUEST_TIMEOUT_MS = 15_000;
const ANSWER_LIMIT = 4096;

export interface OutboxDeps {
  db: CrowdsellDb;
  fetch: typeof fetch;
  unionUrl: string;
  now: () => number;
  random: () => number;
}

export type NewOutboxEntry = Pick<OutboxRecord, 'epochStart' | 'member' | 'body' | 'epochSeconds'>;

/** A queued report, first sent at `sendAtMs` (its random send time; default: at once). */
export function outboxRecord(
  entry: NewOutboxEntry,
  nowMs: number,
  sendAtMs: number = nowMs,
): OutboxRecord {
  return { ...entry, createdAt: nowMs, attempts: 0, nextAttemptAt: sendAtMs, lastError: null };
}

/** Queues a report; the first one for an epoch wins, as on the union. */
export async function enqueueReport(
  db: CrowdsellDb,
  entry: NewOutboxEntry,
  nowMs: number,
): Promise<void> {
  const tx = db.transaction('outbox', 'readwrite');
  if ((await tx.store.getKey(entry.epochStart)) === undefined) {
    await tx.store.add(outboxRecord(entry, nowMs));
  }
  await tx.done;
}

type Attempt =
  | { kind: 'final'; outcome: SentOutcome; status: number; body: string }
  | {
      kind: 'retry';
      status: number | null;
      code: string;
      message: string;
      notBefore: number | null;
    };

async function attempt(deps: OutboxDeps, record: OutboxRecord): Promise<Attempt> {
  let response: Response;
  try {
    response = await deps.fetch(`${deps.unionUrl}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: record.body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch {
    return {
      kind: 'retry',
      status: null,
      code: 'NETWORK',
      message: 'The union could not be reached.',
      notBefore: null,
    };
  }
  const text = (await response.text().catch(() => '')).slice(0, ANSWER_LIMIT);
  const status = response.status;
  if (status >= 200 && status < 300)
    return { kind: 'final', outcome: 'stored', status, body: text };
  if (status === 409) return { kind: 'final', outcome: 'conflict', status, body: text };
  if (status >= 400 && status < 500 && status !== 429 && status !== 408) {
    return { kind: 'final', outcome: 'rejected', status, body: text };
  }
  const error = unionError(text);
  return {
    kind: 'retry',
    status,
    code: error?.code ?? `HTTP_${status}`,
    message: error?.message ?? `The union answered ${status}.`,
    notBefore: retryAfterMs(response.headers.get('retry-after'), deps.now()),
  };
}

export function unionError(text: string): { code: string; message: string } | null {
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.error : null;
  } catch {
    return null;
  }
}

export interface FlushResult {
  delivered: number;
  failed: number;
  retrying: number;
  /** Missed first send times given a fresh random one (`send-time.ts`). */
  rescheduled: number;
  /** When the next pending report is due (ms), or null if the outbox is empty. */
  nextAttemptAt: number | null;
}

/** Sends every due report once. Call it under the `outbox` lock. */
export async function flushOutbox(deps: OutboxDeps): Promise<FlushResult> {
  const result: FlushResult = {
    delivered: 0,
    failed: 0,
    retrying: 0,
    rescheduled: 0,
    nextAttemptAt: null,
  };
  const due = await deps.db.getAllFromIndex(
    'outbox',
    'by-next-attempt',
    IDBKeyRange.upperBound(deps.now()),
  );
  for (const record of due) {
    const redrawn = redrawMissedSendAt(record, deps.now(), deps.random);
    if (redrawn !== null) {
      // Its send time passed while the browser was closed: going now would date the start.
      await deps.db.put('outbox', { ...record, nextAttemptAt: redrawn });
      result.rescheduled += 1;
      continue;
    }
    const outcome = await attempt(deps, record);
    const now = deps.now();
    const attempts = record.attempts + 1;
    if (outcome.kind === 'final') {
      const entry: SentLogRecord = {
        epochStart: record.epochStart,
        member: record.member,
        body: record.body,
        firstAttemptAt: record.createdAt,
        answeredAt: now,
        attempts,
        outcome: outcome.outcome,
        answer: { status: outcome.status, body: outcome.body },
      };
      const tx = deps.db.transaction(['outbox', 'sent-log'], 'readwrite');
      await tx.objectStore('sent-log').add(entry);
      await tx.objectStore('outbox').delete(record.epochStart);
      await tx.done;
      if (outcome.outcome === 'rejected') result.failed += 1;
      else result.delivered += 1;
    } else {
      const delay = Math.max(retryDelayMs(attempts, deps.random), outcome.notBefore ?? 0);
      await deps.db.put('outbox', {
        ...record,
        attempts,
        nextAttemptAt: now + delay,
        lastError: {
          status: outcome.status,
          code: outcome.code,
          message: outcome.message,
          at: now,
        },
      });
      result.retrying += 1;
    }
  }
  result.nextAttemptAt = await nextAttemptAt(deps.db);
  return result;
}

/** When the next waiting report is due (ms), or null if the outbox is empty. */
export async function nextAttemptAt(db: CrowdsellDb): Promise<number | null> {
  const [next] = await db.getAllFromIndex('outbox', 'by-next-attempt', null, 1);
  return next?.nextAttemptAt ?? null;
}

export async function pendingReports(db: CrowdsellDb): Promise<OutboxRecord[]> {
  return db.getAllFromIndex('outbox', 'by-next-attempt');
}

/** The newest `limit` entries of the "what was sent" log, newest first. */
export async function sentLog(db: CrowdsellDb, limit: number): Promise<SentLogRecord[]> {
  return newestFirst(db, 'sent-log', limit);
}

/**
 * The member withholds a waiting report before its first attempt: it is deleted, never sent
 * (nothing is earned for that epoch), and the sent log records that it was withheld. Call it
 * under the `outbox` lock, so it cannot race a flush.
 */
export async function withholdReport(
  db: CrowdsellDb,
  epochStart: number,
  nowMs: number,
): Promise<void> {
  const tx = db.transaction(['outbox', 'sent-log'], 'readwrite');
  const outbox = tx.objectStore('outbox');
  const record = await outbox.get(epochStart);
  if (!record || record.attempts > 0) {
    await tx.done; // nothing was written
    throw record
      ? new CrowdsellError(
          'REPORT_ALREADY_TRIED',
          'This report was already sent once (the union may have it), so it can no longer be withheld.',
        )
      : new CrowdsellError(
          'REPORT_NOT_WAITING',
          'This report is no longer waiting: it was sent or withheld already.',
        );
  }
  await outbox.delete(epochStart);
  await tx.objectStore('sent-log').add({
    epochStart,
    member: record.member,
    body: '',
    firstAttemptAt: record.createdAt,
    answeredAt: nowMs,
    attempts: 0,
    outcome: 'withheld',
    answer: { status: null, body: '' },
  });
  await tx.done;
}
