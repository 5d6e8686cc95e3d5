/** The leader driver's limits (abandoned jobs, expired reports) on a real PostgreSQL. */
import { leaderDriverLimitsSuite } from './test-support/leader-driver-limits-suite.ts';
import { onPostgres } from './test-support/postgres-suite.ts';

onPostgres('aggregator/leader-driver-limits.postgres.test.ts', leaderDriverLimitsSuite);
