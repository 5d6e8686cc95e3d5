/** The aggregators' storage contract on a real PostgreSQL (a fresh database per store). */
import { onPostgres } from '../test-support/postgres-suite.ts';
import { storageSuite } from '../test-support/storage-suite.ts';

onPostgres('aggregator/db/storage.postgres.test.ts', storageSuite);
