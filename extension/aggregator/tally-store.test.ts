import 'fake-indexeddb/auto';

import { describe, expect, it } from 'vitest';

import { openCrowdsellDb } from '../storage/database.ts';
import { uniqueDbName } from '../testing/fixtures.ts';
import { changeAttention, epochsEndingBy, MAX_SPAN_MS, recordVisit } from './tally-store.ts';

const day = 86_400;
const midnight = Date.UTC(2026, 10, 26);

describe('tally store', () => {
  it('counts visits into the epoch they happen in, and keeps them across a restart', async () => {
    const name = uniqueDbName();
    let db = await openCrowdsellDb(name);
    await recordVisit(db, midnight - 2000, day, 289);
    await recordVisit(db, midnight - 1000, day, 289);
    db.close();
    // The service worker was stopped: a new instance opens the same database.
    db = await openCrowdsellDb(name);
    await recordVisit(db, midnight + 1000, day, 289);
    const before = await db.get('epochs', midnight / 1000 - day);
    const after = await db.get('epochs', midnight / 1000);
    expect(before?.tallies['289']?.visits).toBe(2);
    expect(after?.tallies['289']?.visits).toBe(1);
    expect((await epochsEndingBy(db, midnight)).map((e) => e.epochStart)).toEqual([
      midnight / 1000 - day,
    ]);
    db.close();
  });

  it('splits active time at the epoch boundary', async () => {
    const db = await openCrowdsellDb(uniqueDbName());
    await changeAttention(db, { nowMs: midnight - 30_000, epochSeconds: day, next: 289 });
    await changeAttention(db, { nowMs: midnight + 20_000, epochSeconds: day, next: null });
    expect((await db.get('epochs', midnight / 1000 - day))?.tallies['289']?.activeMs).toBe(30_000);
    expect((await db.get('epochs', midnight / 1000))?.tallies['289']?.activeMs).toBe(20_000);
    db.close();
  });

  it('credits idle time only up to when the user went idle', async () => {
    const db = await openCrowdsellDb(uniqueDbName());
    await changeAttention(db, { nowMs: midnight, epochSeconds: day, next: 243 });
    await changeAttention(db, {
      nowMs: midnight + 90_000,
      epochSeconds: day,
      next: null,
      endedAtMs: midnight + 30_000,
    });
    expect((await db.get('epochs', midnight / 1000))?.tallies['243']?.activeMs).toBe(30_000);
    db.close();
  });

  it('does not trust a span longer than the heartbeat allows (browser or worker was gone)', async () => {
    const db = await openCrowdsellDb(uniqueDbName());
    await changeAttention(db, { nowMs: midnight, epochSeconds: day, next: 243 });
    await changeAttention(db, { nowMs: midnight + 3_600_000, epochSeconds: day, next: null });
    expect((await db.get('epochs', midnight / 1000))?.tallies['243']?.activeMs).toBe(MAX_SPAN_MS);
    db.close();
  });

  it('drops late credits for an epoch that is already closed', async () => {
    const db = await openCrowdsellDb(uniqueDbName());
    await db.put('state', midnight / 1000, 'closed-before');
    await recordVisit(db, midnight - 1000, day, 289);
    expect(await db.get('epochs', midnight / 1000 - day)).toBeUndefined();
    db.close();
  });
});
