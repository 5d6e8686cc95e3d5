/**
 * The committer's warm-up inside a union (D-047): a watcher tick that leaves books of 20,000
 * members starts the Merkle workers in the background, and closing the union right after still
 * leaves no worker thread behind (the warm-up is waited for before the workers close). Real
 * in-process EVM and PGlite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createUnionServer } from '../app.ts';
import type { Db } from '../db/db.ts';
import { MERKLE_PARALLEL_THRESHOLD, merkleWorkerThreads } from '../monoplasma/merkle.ts';
import { startChainFixture, type ChainFixture } from '../test-support/chain-fixture.ts';
import { freshPglite } from '../test-support/pglite-template.ts';
import { seedActiveMembers } from '../test-support/seed-members.ts';

let fx: ChainFixture;
let db: Db;

beforeAll(async () => {
  fx = await startChainFixture();
  db = await freshPglite();
  await seedActiveMembers(db, new Date(fx.now()), MERKLE_PARALLEL_THRESHOLD);
}, 120_000);

afterAll(async () => {
  await db?.close();
  await fx?.close();
});

describe('the committer warm-up in a union', () => {
  it('starts the workers once the books are large, and the union closes them even mid-warm-up', async () => {
    const warmed = await createUnionServer({ ...fx.unionOptions(), db });
    await warmed.monoplasma!.watch();
    await warmed.monoplasma!.warmedUp();
    expect(merkleWorkerThreads()).toBe(2);
    await warmed.close();
    expect(merkleWorkerThreads()).toBe(0);

    const closedEarly = await createUnionServer({ ...fx.unionOptions(), db });
    await closedEarly.monoplasma!.watch(); // the warm-up is still starting its threads
    await closedEarly.close();
    await closedEarly.monoplasma!.warmedUp(); // nothing of it may run on after the close
    expect(merkleWorkerThreads()).toBe(0);
  });
});
