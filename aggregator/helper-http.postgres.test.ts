/** The helper over real HTTP with its own database on a real PostgreSQL. */
import { helperHttpSuite } from './test-support/helper-http-suite.ts';
import { onPostgres } from './test-support/postgres-suite.ts';

onPostgres('aggregator/helper-http.postgres.test.ts', helperHttpSuite);
