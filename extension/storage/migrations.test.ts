import 'fake-indexeddb/auto';

import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';

import { uniqueDbName } from '../testing/fixtures.ts';
import { openCrowdsellDb } from './database.ts';
import { DB_VERSION, migrations, runMigrations } from './migrations.ts';
import type { CrowdsellSchema, OutboxRecord, SentLogRecord } from './schema.ts';

/** Builds a database at `version` with the migrations of that time, as an older extension did. */
async function fixtureAt(name: string, version: number) {
  return openDB<CrowdsellSchema>(name, version, {
    upgrade(db, oldVersion, newVersion, tx) {
      runMigrations(db, oldVersion, newVersion ?? version, tx, migrations.slice(0, version));
    },
  });
}

const member = '0x0000000000000000000000000000000000000001';

/** A report waiting in the outbox, as versions 1 to 3 store it. */
const waitingReport = (
  epochStart: number,
  { attempts, nextAttemptAt }: { attempts: number; nextAttemptAt: number },
): OutboxRecord => ({
  epochStart,
  member,
  body: '{"report":{}}',
  createdAt: 1,
  attempts,
  nextAttemptAt,
  lastError: null,
});

/** The sent log's entry for a report the union stored, as versions 1 to 3 store it. */
const storedReport: SentLogRecord = {
  epochStart: 0,
  member,
  body: 'exact bytes',
  firstAttemptAt: 1,
  answeredAt: 2,
  attempts: 1,
  outcome: 'stored',
  answer: { status: 200, body: '{}' },
};

describe('storage migrations', () => {
  it('has one migration per schema version', () => {
    expect(migrations).toHaveLength(DB_VERSION);
  });

  it('v0 → v1: a new database gets every store', async () => {
    const db = await fixtureAt(uniqueDbName(), 1);
    expect([...db.objectStoreNames].sort()).toEqual(
      ['epochs', 'exclusions', 'outbox', 'sent-log', 'state', 'vault'].sort(),
    );
    db.close();
  });

  it('v1 → v2: keeps every v1 record and indexes outbox and sent log', async () => {
    const name = uniqueDbName();
    const v1 = await fixtureAt(name, 1);
    await v1.put('outbox', waitingReport(86_400, { attempts: 2, nextAttemptAt: 500 }));
    await v1.put('outbox', waitingReport(172_800, { attempts: 0, nextAttemptAt: 100 }));
    await v1.add('sent-log', storedReport);
    await v1.put('state', { lastFetchAt: 5, lastError: null }, 'config-status');
    v1.close();

    const db = await openCrowdsellDb(name);
    expect(db.version).toBe(DB_VERSION);
    const byNext = await db.getAllFromIndex('outbox', 'by-next-attempt');
    expect(byNext.map((r) => r.epochStart)).toEqual([172_800, 86_400]);
    const [logged] = await db.getAllFromIndex('sent-log', 'by-epoch', 0);
    expect(logged?.body).toBe('exact bytes');
    expect(await db.get('state', 'config-status')).toEqual({ lastFetchAt: 5, lastError: null });
    db.close();
  });

  it('v2 → v3: keeps every v2 record and adds an empty request log indexed by time', async () => {
    const name = uniqueDbName();
    const v2 = await fixtureAt(name, 2);
    const waiting = waitingReport(86_400, { attempts: 0, nextAttemptAt: 100 });
    await v2.put('outbox', waiting);
    await v2.add('sent-log', storedReport);
    await v2.put('state', 172_800, 'closed-before');
    v2.close();

    const db = await openCrowdsellDb(name);
    expect(db.version).toBe(3);
    expect(await db.getAllFromIndex('outbox', 'by-next-attempt')).toEqual([waiting]);
    expect((await db.getAllFromIndex('sent-log', 'by-epoch', 0))[0]?.body).toBe('exact bytes');
    expect(await db.get('state', 'closed-before')).toBe(172_800);
    expect(await db.getAll('request-log')).toEqual([]);
    await db.add('request-log', {
      at: 5,
      method: 'GET',
      path: '/v1/config',
      body: null,
      status: 200,
      answeredAt: 6,
      error: null,
    });
    expect(await db.getAllFromIndex('request-log', 'by-at', 5)).toHaveLength(1);
    db.close();
  });

  it('refuses to run when a migration step is missing', () => {
    const db = {} as Parameters<typeof runMigrations>[0];
    const tx = {} as Parameters<typeof runMigrations>[3];
    expect(() => runMigrations(db, DB_VERSION, DB_VERSION + 1, tx)).toThrow(
      `no migration from schema version ${DB_VERSION}`,
    );
  });
});
