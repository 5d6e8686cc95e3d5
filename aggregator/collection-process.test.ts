/** Collection through the real leader and helper processes, each on its own PGlite folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { expectPlainSums } from './test-support/collection-process-suite.ts';
import { killProcesses } from './test-support/helper-process.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'crowdsell-collection-'));
afterAll(() => {
  killProcesses();
  rmSync(dir, { recursive: true, force: true });
});

describe('collection through the real leader and helper processes', () => {
  it('uploads over HTTP, aggregated by the two processes, collected through a collection job: noise off, the plain sums exactly', async () => {
    await expectPlainSums(dir, { helperEnv: {}, leaderEnv: {} });
  }, 180_000);
});
