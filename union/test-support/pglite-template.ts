/** Fresh, migrated in-memory PGlite databases with the union's schema (shared-db's template cache). */
import type { Db } from '../../shared-db/db.ts';
import { freshPgliteWith } from '../../shared-db/test-support/pglite-template.ts';
import { loadMigrations, migrate } from '../db/migrate.ts';

/** A new, migrated, empty in-memory PGlite database. */
export function freshPglite(): Promise<Db> {
  return freshPgliteWith({
    name: 'union',
    migrations: loadMigrations,
    migrate: (db) => migrate(db),
  });
}
