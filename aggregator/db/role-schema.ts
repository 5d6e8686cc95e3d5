/**
 * Each aggregator role has a database of its own — not the union's, not the other role's — with
 * forward-only migrations in its own folder (`aggregator/leader/db/migrations/`,
 * `aggregator/helper/db/migrations/`), run by the shared migration runner under its own advisory
 * lock. Either role opens a PGlite folder or a PostgreSQL URL through the shared driver seam.
 */
import type { Db } from '../../shared-db/db.ts';
import { loadMigrations, migrate, type Migration } from '../../shared-db/migrate.ts';
import { openMigratedDb, type DatabaseOptions } from '../../shared-db/open-db.ts';

export interface RoleSchema {
  readonly name: string;
  readonly migrations: () => readonly Migration[];
  readonly migrate: (db: Db) => Promise<unknown>;
  readonly open: (options: DatabaseOptions) => Promise<Db>;
}

export function roleSchema(name: string, lock: number, migrationsDir: string): RoleSchema {
  const migrations = () => loadMigrations(migrationsDir);
  const run = (db: Db) => migrate(db, { name, lock }, migrations());
  return {
    name,
    migrations,
    migrate: run,
    open: (options) => openMigratedDb(options, run),
  };
}
