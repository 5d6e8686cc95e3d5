/** Opens the configured database and brings the union's schema up to date. */
import type { Db } from '../../shared-db/db.ts';
import { openMigratedDb, type DatabaseOptions } from '../../shared-db/open-db.ts';
import { migrate } from './migrate.ts';

export type { DatabaseOptions } from '../../shared-db/open-db.ts';

export function openDb(options: DatabaseOptions): Promise<Db> {
  return openMigratedDb(options, (db) => migrate(db));
}
