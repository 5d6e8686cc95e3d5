/** The leader's aggregation-job driver over real HTTP, both aggregators on in-memory PGlite. */
import { freshPgliteDb } from './test-support/databases.ts';
import { leaderDriverSuite } from './test-support/leader-driver-suite.ts';

leaderDriverSuite('PGlite', () => freshPgliteDb);
