/** Retention on both aggregators, each on in-memory PGlite. */
import { freshPgliteDb } from './test-support/databases.ts';
import { retentionSuite } from './test-support/retention-suite.ts';

retentionSuite('PGlite', () => freshPgliteDb);
