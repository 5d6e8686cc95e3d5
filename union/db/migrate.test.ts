import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { freshPglite } from '../test-support/pglite-template.ts';
import type { Db } from './db.ts';
import { loadMigrations, migrate } from './migrate.ts';

let db: Db;
beforeAll(async () => {
  db = await freshPglite();
}, 120_000);
afterAll(() => db?.close());

const dirWith = (files: Record<string, string>) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'crowdsell-migrations-'));
  for (const [name, sql] of Object.entries(files)) writeFileSync(path.join(dir, name), sql);
  return dir;
};

describe('migrations', () => {
  it('the shipped migrations are numbered 1, 2, 3 … and named NNNN-name.sql', () => {
    const migrations = loadMigrations();
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('refuses badly named files and gaps in the numbering', () => {
    const badName = dirWith({ '0001-ok.sql': 'SELECT 1', 'oops.sql': 'SELECT 1' });
    const gap = dirWith({ '0001-a.sql': 'SELECT 1', '0003-c.sql': 'SELECT 1' });
    try {
      expect(() => loadMigrations(badName)).toThrow(/NNNN-name\.sql/);
      expect(() => loadMigrations(gap)).toThrow(/without gaps/);
    } finally {
      rmSync(badName, { recursive: true });
      rmSync(gap, { recursive: true });
    }
  });

  it('applies only pending migrations, once, and records them', async () => {
    const shipped = loadMigrations();
    expect((await migrate(db)).applied).toEqual([]);
    const next = [
      ...shipped,
      { version: shipped.length + 1, name: 'test-extra', sql: 'CREATE TABLE test_extra (id int);' },
    ];
    expect((await migrate(db, next)).applied.map((m) => m.name)).toEqual(['test-extra']);
    expect((await migrate(db, next)).applied).toEqual([]);
    const { rows } = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM schema_migrations',
    );
    expect(rows[0]!.n).toBe(next.length);
  });

  it('a failing migration leaves nothing behind', async () => {
    const shipped = loadMigrations();
    const n = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations'))
      .rows[0]!.n;
    const broken = [
      ...shipped,
      { version: shipped.length + 1, name: 'test-extra', sql: 'SELECT 1' },
      {
        version: shipped.length + 2,
        name: 'half',
        sql: 'CREATE TABLE half_done (id int); SELECT nope_column FROM half_done;',
      },
    ];
    await expect(migrate(db, broken)).rejects.toThrow();
    const tables = await db.query(
      "SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'",
    );
    expect(tables.rows).toHaveLength(0);
    expect(
      (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations')).rows[0]!
        .n,
    ).toBe(n);
  });

  it('refuses to run against a database newer than the code', async () => {
    await expect(migrate(db, loadMigrations().slice(0, 0))).rejects.toThrow(
      /newer than this union/,
    );
  });
});
