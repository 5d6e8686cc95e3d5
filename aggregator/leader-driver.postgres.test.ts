/** The leader's aggregation-job driver over real HTTP, both aggregators on a real PostgreSQL. */
import { afterAll, beforeAll, describe } from 'vitest';
import {
  postgresAvailable,
  startPostgres,
  type PostgresCluster,
} from '../shared-db/test-support/postgres-cluster.ts';
import { freshPostgresDb } from './test-support/databases.ts';
import { leaderDriverSuite } from './test-support/leader-driver-suite.ts';

const hasPostgres = postgresAvailable('aggregator/leader-driver.postgres.test.ts');
let cluster: PostgresCluster;

describe.runIf(hasPostgres)('PostgreSQL', () => {
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 120_000);
  afterAll(() => cluster?.stop());
  leaderDriverSuite('PostgreSQL', () => freshPostgresDb(() => cluster));
});
