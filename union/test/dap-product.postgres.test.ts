import { afterAll, beforeAll, describe } from 'vitest';

import { freshPostgresDb } from '../../aggregator/test-support/databases.ts';
import { openPostgres } from '../db/postgres-driver.ts';
import {
  postgresAvailable,
  startPostgres,
  type PostgresCluster,
} from '../test-support/postgres-cluster.ts';
import { dapProductSuite } from './suites/dap-product-suite.ts';

describe.runIf(postgresAvailable('dap-product.postgres.test.ts'))('on PostgreSQL', () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 120_000);
  afterAll(() => cluster?.stop());
  dapProductSuite(
    async () => openPostgres({ url: await cluster.createDatabase(), poolSize: 8 }),
    freshPostgresDb(() => cluster),
  );
});
