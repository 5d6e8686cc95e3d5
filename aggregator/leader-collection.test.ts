/** Collection jobs end to end over HTTP, both aggregators on in-memory PGlite. */
import { collectionSuite } from './test-support/collection-suite.ts';
import { freshPgliteDb } from './test-support/databases.ts';

collectionSuite('PGlite', () => freshPgliteDb);
