/** The leader's claim costs the job's reports, not every report held: on PGlite. */
import { claimCostSuite } from './test-support/claim-cost-suite.ts';
import { freshPgliteDb } from './test-support/databases.ts';

claimCostSuite('PGlite', () => freshPgliteDb);
