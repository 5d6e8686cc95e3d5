import 'fake-indexeddb/auto';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { openCrowdsellDb, type CrowdsellDb } from '../storage/database.ts';
import { startFakeUnion, type FakeUnion } from '../testing/fake-union.ts';
import { uniqueDbName } from '../testing/fixtures.ts';
import { RETRY_BASE_MS, RETRY_MAX_MS, retryAfterMs, retryDelayMs } from './backoff.ts';
import { enqueueReport, flushOutbox, pendingReports, sentLog, type OutboxDeps } from './outbox.ts';

const member = '0x0000000000000000000000000000000000000001';
const body = (epochStart: number) => `{"report":{"epochStart":${epochStart}},"signature":"0x01"}`;

let union: FakeUnion;
let db: CrowdsellDb;
let now: number;
let deps: OutboxDeps;

beforeEach(async () => {
  union = await startFakeUnion();
  db = await openCrowdsellDb(uniqueDbName());
  now = 1_000_000;
  deps = { db, fetch, unionUrl: union.url, now: () => now, random: () => 0.5 };
});
afterEach(async () => {
  db.close();
  await union.close();
});

describe('outbox', () => {
  it('sends the exact bytes, logs the union’s answer and forgets the report on 200', async () => {
    await enqueueReport(db, { epochStart: 86_400, member, body: body(86_400) }, now);
    const result = await flushOutbox(deps);
    expect(result).toMatchObject({ delivered: 1, retrying: 0, nextAttemptAt: null });
    expect(union.reports).toEqual([body(86_400)]);
    const [entry] = await sentLog(db, 10);
    expect(entry).toMatchObject({
      body: body(86_400),
      outcome: 'stored',
      attempts: 1,
      answer: { status: 201, body: '{"status":"accepted"}' },
    });
    expect(await pendingReports(db)).toEqual([]);
  });

  it('retries on 5xx and network errors with growing, jittered delays, then delivers once', async () => {
    union.reportAnswers.push(
      { status: 503, body: { error: { code: 'UNAVAILABLE', message: 'Down.' } } },
      { status: 500 },
    );
    await enqueueReport(db, { epochStart: 86_400, member, body: body(86_400) }, now);

    let result = await flushOutbox(deps);
    expect(result.retrying).toBe(1);
    let [pending] = await pendingReports(db);
    expect(pending).toMatchObject({ attempts: 1, lastError: { status: 503, code: 'UNAVAILABLE' } });
    expect(pending!.nextAttemptAt - now).toBe(retryDelayMs(1, () => 0.5));

    // Not due yet: nothing is sent.
    expect((await flushOutbox(deps)).retrying).toBe(0);
    expect(union.reports).toHaveLength(1);

    now = pending!.nextAttemptAt;
    await flushOutbox(deps);
    [pending] = await pendingReports(db);
    expect(pending!.attempts).toBe(2);
    expect(pending!.nextAttemptAt - now).toBe(retryDelayMs(2, () => 0.5));

    now = pending!.nextAttemptAt;
    result = await flushOutbox(deps);
    expect(result.delivered).toBe(1);
    expect(union.reports).toEqual([body(86_400), body(86_400), body(86_400)]);
    expect((await sentLog(db, 10))[0]).toMatchObject({ attempts: 3, outcome: 'stored' });
  });

  it('keeps a report when the union cannot be reached at all', async () => {
    await enqueueReport(db, { epochStart: 1, member, body: body(1) }, now);
    await union.close();
    const result = await flushOutbox(deps);
    expect(result.retrying).toBe(1);
    expect((await pendingReports(db))[0]?.lastError?.code).toBe('NETWORK');
  });

  it('records a 409 conflict and stops', async () => {
    union.reportAnswers.push({
      status: 409,
      body: { error: { code: 'REPORT_CONFLICT', message: 'Another report is stored.' } },
    });
    await enqueueReport(db, { epochStart: 2, member, body: body(2) }, now);
    expect(await flushOutbox(deps)).toMatchObject({ delivered: 1, nextAttemptAt: null });
    expect((await sentLog(db, 1))[0]).toMatchObject({
      outcome: 'conflict',
      answer: { status: 409 },
    });
    await flushOutbox(deps);
    expect(union.reports).toHaveLength(1);
  });

  it('records another 4xx as a permanent failure with the union’s error', async () => {
    union.reportAnswers.push({
      status: 422,
      body: { error: { code: 'EPOCH_TOO_OLD', message: 'The epoch is too old.' } },
    });
    await enqueueReport(db, { epochStart: 3, member, body: body(3) }, now);
    expect(await flushOutbox(deps)).toMatchObject({ failed: 1 });
    const [entry] = await sentLog(db, 1);
    expect(entry?.outcome).toBe('rejected');
    expect(entry?.answer.body).toContain('EPOCH_TOO_OLD');
  });

  it('waits at least as long as a 429 asks', async () => {
    union.reportAnswers.push({ status: 429, headers: { 'retry-after': '3600' } });
    await enqueueReport(db, { epochStart: 4, member, body: body(4) }, now);
    await flushOutbox(deps);
    expect((await pendingReports(db))[0]!.nextAttemptAt).toBe(now + 3_600_000);
  });

  it('queues an epoch once: the first report wins', async () => {
    await enqueueReport(db, { epochStart: 5, member, body: body(5) }, now);
    await enqueueReport(db, { epochStart: 5, member, body: 'different' }, now);
    expect((await pendingReports(db)).map((r) => r.body)).toEqual([body(5)]);
  });

  it('delivers at least once: a report answered after a lost reply is sent again, same bytes', async () => {
    // The union stored it but the answer was lost (modelled as a 502 from a proxy).
    union.reportAnswers.push({ status: 502 }, { status: 200, body: { stored: true } });
    await enqueueReport(db, { epochStart: 6, member, body: body(6) }, now);
    await flushOutbox(deps);
    now += RETRY_BASE_MS;
    await flushOutbox(deps);
    expect(union.reports).toEqual([body(6), body(6)]);
    expect(await sentLog(db, 10)).toHaveLength(1);
  });
});

describe('backoff', () => {
  it('grows exponentially up to a ceiling, with jitter between half and all of it', () => {
    expect(retryDelayMs(1, () => 0)).toBe(RETRY_BASE_MS / 2);
    expect(retryDelayMs(1, () => 1)).toBe(RETRY_BASE_MS);
    expect(retryDelayMs(3, () => 1)).toBe(RETRY_BASE_MS * 4);
    expect(retryDelayMs(40, () => 1)).toBe(RETRY_MAX_MS);
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(retryAfterMs('120', 0)).toBe(120_000);
    expect(retryAfterMs(new Date(60_000).toUTCString(), 0)).toBe(60_000);
    expect(retryAfterMs('soon', 0)).toBeNull();
  });
});
