/**
 * The durable outbox (DESIGN §2): signed reports wait in IndexedDB until the union gives a final
 * answer. 200 → stored; 409 → the union holds a different report for that epoch (first one wins):
 * recorded, not retried; another 4xx (not 429) → refused for good, recorded with the union's error;
 * 429, 5xx, timeouts and network errors → retried with backoff and jitter. A report leaves the
 * outbox and enters the sent log in one transaction, so delivery is at-least-once and the union's
 * idempotency (same bytes → 200) makes it exactly-once.
 */
import { getBytes, hexlify } from 'ethers';

import { dapUploadUrl, DAP_REPORT_MEDIA_TYPE } from '../dap/upload-url.ts';
import { CrowdsellError, toErrorPayload } from '../protocol/errors.ts';
import { errorBodySchema } from '../protocol/wire.ts';
import { newestFirst, type CrowdsellDb } from '../storage/database.ts';
import type { DapReportPart, OutboxRecord, SentLogRecord, SentOutcome } from '../storage/schema.ts';
import { retryAfterMs, retryDelayMs } from './backoff.ts';
import { classifyDapAnswer } from './dap-answer.ts';
import { redrawMissedSendAt } from './send-time.ts';

export const REQUEST_TIMEOUT_MS = 15_000;
const ANSWER_LIMIT = 4096;

/** Builds a DAP report's upload (shard, sign, seal); called once per report, before its first send. */
export type DapBuilder = (
  record: OutboxRecord,
  dap: DapReportPart,
) => Promise<{ bytes: Uint8Array; reportId: Uint8Array }>;

export interface OutboxDeps {
  db: CrowdsellDb;
  fetch: typeof fetch;
  unionUrl: string;
  now: () => number;
  random: () => number;
  /** Needed only when DAP reports wait (`record.dap`). */
  buildDap?: DapBuilder | undefined;
}

export type NewOutboxEntry = Pick<
  OutboxRecord,
  'epochStart' | 'member' | 'body' | 'epochSeconds' | 'dap'
>;

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

/** A plain report goes to the union as JSON; a DAP report to the leader as its built bytes. */
function requestFor(deps: OutboxDeps, record: OutboxRecord): { url: string; init: RequestInit } {
  const bytes = record.dap?.bytes;
  if (record.dap && bytes) {
    return {
      url: dapUploadUrl(record.dap.task),
      init: {
        method: 'PUT',
        headers: { 'content-type': DAP_REPORT_MEDIA_TYPE },
        body: new Uint8Array(getBytes(bytes)),
      },
    };
  }
  return {
    url: `${deps.unionUrl}/v1/reports`,
    init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: record.body },
  };
}

async function attempt(deps: OutboxDeps, record: OutboxRecord): Promise<Attempt> {
  const { url, init } = requestFor(deps, record);
  const who = record.dap ? 'leader' : 'union';
  let response: Response;
  try {
    response = await deps.fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch {
    return {
      kind: 'retry',
      status: null,
      code: 'NETWORK',
      message: `The ${who} could not be reached.`,
      notBefore: null,
    };
  }
  const text = (await response.text().catch(() => '')).slice(0, ANSWER_LIMIT);
  const status = response.status;
  if (record.dap) {
    const answer = classifyDapAnswer(status, text);
    if (answer.kind !== 'retry') return { kind: 'final', outcome: answer.kind, status, body: text };
    return {
      kind: 'retry',
      status,
      code: answer.code,
      message: answer.message,
      notBefore: retryAfterMs(response.headers.get('retry-after'), deps.now()),
    };
  }
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
    const built = await ensureBuilt(deps, record);
    const outcome = built.ok ? await attempt(deps, built.record) : built.failure;
    const now = deps.now();
    const attempts = record.attempts + 1;
    if (outcome.kind === 'final') {
      const entry: SentLogRecord = {
        epochStart: record.epochStart,
        member: record.member,
        body: record.body,
        ...(built.ok && built.record.dap ? { dap: built.record.dap } : {}),
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
        ...(built.ok ? built.record : record),
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

type Built = { ok: true; record: OutboxRecord } | { ok: false; failure: Attempt };

/**
 * A DAP report's upload, built once: its bytes are stored in the outbox before they are first
 * sent, so every retry sends them again and no second sharding of the epoch ever leaves. A build
 * that fails (the leader's HPKE config unreachable) stores nothing and is retried with backoff.
 */
async function ensureBuilt(deps: OutboxDeps, record: OutboxRecord): Promise<Built> {
  const dap = record.dap;
  if (!dap || dap.bytes !== null) return { ok: true, record };
  if (!deps.buildDap) throw new Error('A DAP report waits, but no DAP builder was given.');
  let upload: { bytes: Uint8Array; reportId: Uint8Array };
  try {
    upload = await deps.buildDap(record, dap);
  } catch (error) {
    const { code, message } = toErrorPayload(error);
    return {
      ok: false,
      failure: { kind: 'retry', status: null, code, message, notBefore: null },
    };
  }
  const stored: OutboxRecord = {
    ...record,
    dap: { ...dap, bytes: hexlify(upload.bytes), reportId: hexlify(upload.reportId) },
  };
  // Stored before the first send (flushes run under the `outbox` lock, one at a time).
  await deps.db.put('outbox', stored);
  return { ok: true, record: stored };
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
