/** The aggregators' storage contract on PGlite (in-memory, from each role's migrated template). */
import { freshPgliteDb } from '../test-support/databases.ts';
import { storageSuite } from '../test-support/storage-suite.ts';

storageSuite('PGlite', () => freshPgliteDb);
