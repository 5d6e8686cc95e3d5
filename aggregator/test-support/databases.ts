/**
 * Fresh, migrated databases of each aggregator role for tests: in-memory PGlite from a cached
 * template, or a new database on a real PostgreSQL cluster.
 */
import type { Db } from '../../shared-db/db.ts';
import type { PostgresCluster } from '../../shared-db/test-support/postgres-cluster.ts';
import { freshPgliteWith } from '../../shared-db/test-support/pglite-template.ts';
import type { RoleSchema } from '../db/role-schema.ts';

export type FreshDb = (schema: RoleSchema) => Promise<Db>;

export const freshPgliteDb: FreshDb = (schema) =>
  freshPgliteWith({
    name: schema.name.toLowerCase().replace(/\W+/g, '-'),
    migrations: schema.migrations,
    migrate: schema.migrate,
  });

export function freshPostgresDb(cluster: () => PostgresCluster): FreshDb {
  return async (schema) =>
    schema.open({ driver: 'postgres', url: await cluster().createDatabase(), poolSize: 4 });
}
