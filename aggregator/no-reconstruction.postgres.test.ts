/** Neither aggregator's database alone reconstructs a measurement: both on a real PostgreSQL. */
import { noReconstructionSuite } from './test-support/no-reconstruction-suite.ts';
import { onPostgres } from './test-support/postgres-suite.ts';

onPostgres('aggregator/no-reconstruction.postgres.test.ts', noReconstructionSuite);
