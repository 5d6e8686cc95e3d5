/** The leader's count of a batch's unaggregated reports: what it counts and costs, on PGlite. */
import { collectionCountSuite } from './test-support/collection-count-suite.ts';
import { freshPgliteDb } from './test-support/databases.ts';

collectionCountSuite('PGlite', () => freshPgliteDb);
