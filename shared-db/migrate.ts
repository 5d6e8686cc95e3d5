/**
 * Forward-only SQL migrations, for each database that has its own (the union's, the DAP leader's,
 * the DAP helper's). Each file in a migrations folder is named `NNNN-what-it-does.sql` (four
 * digits, no gaps, never edited once released); `schema_migrations` records which ran. All pending
 * files run in one transaction under an advisory lock, so several instances starting together
 * apply them once, and a failed migration leaves nothing half-done.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { Db } from './db.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const FILE = /^(\d{4})-([a-z0-9-]+)\.sql$/;

/** Whose schema a migrations folder is: names the program in errors, and its advisory lock key. */
export interface SchemaOwner {
  readonly name: string;
  readonly lock: number;
}

export function loadMigrations(dir: string): Migration[] {
  const migrations = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((file) => {
      const match = FILE.exec(file);
      if (!match) throw new Error(`Migration file “${file}” must be named NNNN-name.sql.`);
      return {
        version: Number(match[1]),
        name: match[2]!,
        sql: readFileSync(path.join(dir, file), 'utf8'),
      };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`Migrations must be numbered 1, 2, 3 … without gaps; found ${m.version}.`);
    }
  });
  return migrations;
}

export interface MigrateResult {
  applied: Migration[];
  version: number;
}

export async function migrate(
  db: Db,
  owner: SchemaOwner,
  migrations: readonly Migration[],
): Promise<MigrateResult> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [owner.lock]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((r) => r.version));
    const newest = Math.max(0, ...done);
    if (newest > migrations.length) {
      throw new Error(
        `The database is at schema version ${newest}, newer than this ${owner.name} (${migrations.length}); upgrade the ${owner.name}.`,
      );
    }
    const applied: Migration[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      applied.push(migration);
    }
    return { applied, version: migrations.length };
  });
}
