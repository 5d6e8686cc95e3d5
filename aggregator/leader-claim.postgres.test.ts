/** The leader's claim costs the job's reports, not every report held: on a real PostgreSQL. */
import { claimCostSuite } from './test-support/claim-cost-suite.ts';
import { onPostgres } from './test-support/postgres-suite.ts';

onPostgres('aggregator/leader-claim.postgres.test.ts', claimCostSuite);
