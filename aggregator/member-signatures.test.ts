/** One report per member per epoch, checked by both aggregators, each on in-memory PGlite. */
import { freshPgliteDb } from './test-support/databases.ts';
import { memberSignatureSuite } from './test-support/member-signature-suite.ts';

memberSignatureSuite('PGlite', () => freshPgliteDb);
