/**
 * The committed contracts/generated/*.ts must be exactly what the current sources compile to, so
 * nobody ships a stale ABI or bytecode. Recompiles (solc-js, viaIR): takes a few seconds.
 */
import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { repoPath } from './compile.ts';
import { generateArtifactFiles } from './generate-artifacts.ts';

it(
  'committed artifacts match the contracts (else: run npm run build:contracts)',
  { timeout: 180_000 },
  async () => {
    for (const file of await generateArtifactFiles()) {
      const committed = await readFile(file.path, 'utf8').catch(() => undefined);
      if (committed !== file.content) {
        expect.fail(`${repoPath(file.path)} is out of date: run npm run build:contracts`);
      }
    }
  },
);
