/**
 * Runs a driver-independent aggregator suite on a real PostgreSQL: one throwaway cluster (or
 * TEST_DATABASE_URL) for the file, a fresh database per store; skipped with a hint without one.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import {
  postgresAvailable,
  startPostgres,
  type PostgresCluster,
} from '../../shared-db/test-support/postgres-cluster.ts';
import { freshPostgresDb, type FreshDb } from './databases.ts';

export function onPostgres(
  file: string,
  suite: (driver: string, fresh: () => FreshDb) => void,
): void {
  let cluster: PostgresCluster;
  describe.runIf(postgresAvailable(file))('PostgreSQL', () => {
    beforeAll(async () => {
      cluster = await startPostgres();
    }, 120_000);
    afterAll(() => cluster?.stop());
    suite('PostgreSQL', () => freshPostgresDb(() => cluster));
  });
}
