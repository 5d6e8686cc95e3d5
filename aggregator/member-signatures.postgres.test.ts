/** One report per member per epoch, checked by both aggregators, each on a real PostgreSQL. */
import { memberSignatureSuite } from './test-support/member-signature-suite.ts';
import { onPostgres } from './test-support/postgres-suite.ts';

onPostgres('aggregator/member-signatures.postgres.test.ts', memberSignatureSuite);
