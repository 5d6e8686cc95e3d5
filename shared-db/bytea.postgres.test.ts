/** `bytea` byte for byte through the PostgreSQL driver, on a real server. */
import { afterAll, beforeAll, describe } from 'vitest';

import { openPostgres } from './postgres-driver.ts';
import { byteaSuite } from './test-support/bytea-suite.ts';
import {
  postgresAvailable,
  startPostgres,
  type PostgresCluster,
} from './test-support/postgres-cluster.ts';

describe.runIf(postgresAvailable('shared-db/bytea.postgres.test.ts'))('PostgreSQL', () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 120_000);
  afterAll(() => cluster?.stop());
  byteaSuite('PostgreSQL', async () => openPostgres({ url: await cluster.createDatabase() }));
});
