/** The leader's aggregation-job driver over real HTTP, both aggregators on a real PostgreSQL. */
import { leaderDriverSuite } from './test-support/leader-driver-suite.ts';
import { onPostgres } from './test-support/postgres-suite.ts';

onPostgres('aggregator/leader-driver.postgres.test.ts', leaderDriverSuite);
