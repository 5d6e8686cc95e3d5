/** The helper over real HTTP with its own in-memory PGlite database. */
import { freshPgliteDb } from './test-support/databases.ts';
import { helperHttpSuite } from './test-support/helper-http-suite.ts';

helperHttpSuite('PGlite', () => freshPgliteDb);
