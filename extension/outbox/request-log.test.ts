import 'fake-indexeddb/auto';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { openCrowdsellDb, type CrowdsellDb } from '../storage/database.ts';
import { uniqueDbName } from '../testing/fixtures.ts';
import {
  logAnswer,
  logRequest,
  REQUEST_LOG_MAX_AGE_MS,
  REQUEST_LOG_MAX_ENTRIES,
  requestLog,
} from './request-log.ts';

let db: CrowdsellDb;
const request = (at: number) => ({ at, method: 'GET', path: `/v1/config?at=${at}`, body: null });

beforeEach(async () => {
  db = await openCrowdsellDb(uniqueDbName());
});
afterEach(() => db.close());

describe('request log', () => {
  it('is written before the request leaves and completed with the answer', async () => {
    const id = await logRequest(db, { at: 10, method: 'POST', path: '/v1/join', body: '{"a":1}' });
    expect(await requestLog(db, 10)).toEqual([
      {
        id,
        at: 10,
        method: 'POST',
        path: '/v1/join',
        body: '{"a":1}',
        status: null,
        answeredAt: null,
        error: null,
      },
    ]);
    await logAnswer(db, id, { status: 200, answeredAt: 12, error: null });
    expect((await requestLog(db, 10))[0]).toMatchObject({ status: 200, answeredAt: 12 });
  });

  it(`keeps the newest ${REQUEST_LOG_MAX_ENTRIES} entries, newest first`, async () => {
    for (let i = 0; i < REQUEST_LOG_MAX_ENTRIES + 5; i++) await logRequest(db, request(i));
    const all = await requestLog(db, 5000);
    expect(all).toHaveLength(REQUEST_LOG_MAX_ENTRIES);
    expect(all[0]?.at).toBe(REQUEST_LOG_MAX_ENTRIES + 4);
    expect(all.at(-1)?.at).toBe(5);
  });

  it('forgets entries older than 90 days', async () => {
    await logRequest(db, request(1_000));
    await logRequest(db, request(2_000));
    await logRequest(db, request(1_000 + REQUEST_LOG_MAX_AGE_MS + 500));
    expect((await requestLog(db, 10)).map((e) => e.at)).toEqual([
      1_000 + REQUEST_LOG_MAX_AGE_MS + 500,
      2_000,
    ]);
  });
});
