/**
 * Migration 0011 on a database holding a version-1 checkpoint of the own validator (members inside
 * its JSON): the members become rows and the header version 2, so the first check after the
 * upgrade resumes from it with the same replayed state instead of replaying the whole log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Db } from '../db/db.ts';
import { loadMigrations, migrate } from '../db/migrate.ts';
import { openPglite } from '../db/pglite-driver.ts';
import { MonoplasmaAccounting } from '../monoplasma/accounting.ts';
import { validatorCheckpointRepo } from '../repo/validator-checkpoint-repo.ts';

const A = `0x${'aa'.repeat(20)}`;
const B = `0x${'bb'.repeat(20)}`;

let db: Db;
beforeAll(async () => {
  db = await openPglite({ dataDir: 'memory://' });
}, 120_000);
afterAll(() => db?.close());

describe('migration 0011 (own validator checkpoint as rows)', () => {
  it('turns a version-1 checkpoint into a header and member rows that restore the same state', async () => {
    const all = loadMigrations();
    const upTo = all.findIndex((m) => m.name === 'validator-checkpoint-members');
    expect(upTo).toBeGreaterThan(0);
    await migrate(db, all.slice(0, upTo));
    const books = new MonoplasmaAccounting();
    books.memberJoined(B, 10);
    books.memberActivityChanged(B, true, 10);
    books.memberJoined(A, 11);
    books.revenue(`0x${'01'.repeat(32)}:0`, 1001n, 12);
    books.memberLeft(B, 13);
    const v1 = {
      version: 1,
      blockNumber: 41,
      root: `0x${'cd'.repeat(32)}`,
      admin: `0x${'ad'.repeat(20)}`,
      eventSeq: 7,
      logSeq: 9,
      membership: { after: 3, pending: [[`${A} leave`, [14]]] },
      accounting: books.toJSON(),
    };
    await db.query(
      `INSERT INTO validator_checkpoint (id, block_number, checkpoint, saved_at)
       VALUES (1, 41, $1::jsonb, now())`,
      [JSON.stringify(v1)],
    );
    await migrate(db, all);

    const restored = (await validatorCheckpointRepo.load(db))!;
    expect(restored).toMatchObject({ blockNumber: 41, root: v1.root, eventSeq: 7, logSeq: 9 });
    expect(restored.membership.toJSON()).toEqual(v1.membership);
    expect(restored.accounting.toJSON()).toEqual(books.toJSON());
    const header = await db.query<{ c: Record<string, unknown> }>(
      'SELECT checkpoint AS c FROM validator_checkpoint',
    );
    expect(header.rows[0]!.c.version).toBe(2);
    expect((header.rows[0]!.c.accounting as Record<string, unknown>).members).toBeUndefined();
  });
});
