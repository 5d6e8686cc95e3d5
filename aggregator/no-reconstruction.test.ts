/** Neither aggregator's database alone reconstructs a measurement: both on in-memory PGlite. */
import { freshPgliteDb } from './test-support/databases.ts';
import { noReconstructionSuite } from './test-support/no-reconstruction-suite.ts';

noReconstructionSuite('PGlite', () => freshPgliteDb);
