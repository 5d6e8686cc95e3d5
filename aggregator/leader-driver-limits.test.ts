/** The leader driver's limits (abandoned jobs, expired reports), both aggregators on PGlite. */
import { freshPgliteDb } from './test-support/databases.ts';
import { leaderDriverLimitsSuite } from './test-support/leader-driver-limits-suite.ts';

leaderDriverLimitsSuite('PGlite', () => freshPgliteDb);
