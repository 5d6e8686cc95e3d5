/** Collection jobs end to end over HTTP, both aggregators on a real PostgreSQL. */
import { collectionSuite } from './test-support/collection-suite.ts';
import { onPostgres } from './test-support/postgres-suite.ts';

onPostgres('aggregator/leader-collection.postgres.test.ts', collectionSuite);
