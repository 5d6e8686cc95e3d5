/**
 * The union's schema: its migrations folder and advisory lock, over the shared forward-only
 * migration runner (shared-db/migrate.ts).
 */
import path from 'node:path';

import type { Db } from '../../shared-db/db.ts';
import * as shared from '../../shared-db/migrate.ts';

const MIGRATIONS_DIR = path.join(import.meta.dirname, 'migrations');
/** Arbitrary, fixed: "crowdsell" in ASCII, truncated to fit a bigint. */
const UNION_SCHEMA: shared.SchemaOwner = { name: 'union', lock: 0x63726f7764 };

export function loadMigrations(dir = MIGRATIONS_DIR): shared.Migration[] {
  return shared.loadMigrations(dir);
}

export function migrate(
  db: Db,
  migrations: readonly shared.Migration[] = loadMigrations(),
): Promise<shared.MigrateResult> {
  return shared.migrate(db, UNION_SCHEMA, migrations);
}
