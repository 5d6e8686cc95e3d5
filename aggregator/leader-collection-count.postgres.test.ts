/** The leader's count of a batch's unaggregated reports: what it counts and costs, on PostgreSQL. */
import { collectionCountSuite } from './test-support/collection-count-suite.ts';
import { onPostgres } from './test-support/postgres-suite.ts';

onPostgres('aggregator/leader-collection-count.postgres.test.ts', collectionCountSuite);
