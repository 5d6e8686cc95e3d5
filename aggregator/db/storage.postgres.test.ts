/** The aggregators' storage contract on a real PostgreSQL (a fresh database per store). */
import { afterAll, beforeAll, describe } from 'vitest';
import {
  postgresAvailable,
  startPostgres,
  type PostgresCluster,
} from '../../shared-db/test-support/postgres-cluster.ts';
import { freshPostgresDb } from '../test-support/databases.ts';
import { storageSuite } from '../test-support/storage-suite.ts';

const hasPostgres = postgresAvailable('aggregator/db/storage.postgres.test.ts');
let cluster: PostgresCluster;

describe.runIf(hasPostgres)('PostgreSQL', () => {
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 120_000);
  afterAll(() => cluster?.stop());
  storageSuite('PostgreSQL', () => freshPostgresDb(() => cluster));
});
