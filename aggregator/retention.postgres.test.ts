/** Retention on both aggregators, each on a real PostgreSQL. */
import { onPostgres } from './test-support/postgres-suite.ts';
import { retentionSuite } from './test-support/retention-suite.ts';

onPostgres('aggregator/retention.postgres.test.ts', retentionSuite);
