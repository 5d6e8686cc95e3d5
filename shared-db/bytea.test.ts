/** `bytea` byte for byte through the PGlite driver (binary parameters, hex results). */
import { freshPgliteWith } from './test-support/pglite-template.ts';
import { byteaSuite } from './test-support/bytea-suite.ts';

byteaSuite('PGlite', () =>
  freshPgliteWith({ name: 'bytea-test', migrations: () => [], migrate: () => Promise.resolve() }),
);
