/** The helper over real HTTP with its own database on a real PostgreSQL. */
import { afterAll, beforeAll, describe } from 'vitest';
import {
  postgresAvailable,
  startPostgres,
  type PostgresCluster,
} from '../shared-db/test-support/postgres-cluster.ts';
import { freshPostgresDb } from './test-support/databases.ts';
import { helperHttpSuite } from './test-support/helper-http-suite.ts';

const hasPostgres = postgresAvailable('aggregator/helper-http.postgres.test.ts');
let cluster: PostgresCluster;

describe.runIf(hasPostgres)('PostgreSQL', () => {
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 120_000);
  afterAll(() => cluster?.stop());
  helperHttpSuite('PostgreSQL', () => freshPostgresDb(() => cluster));
});
