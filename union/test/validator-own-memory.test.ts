/**
 * The union's own check after a commit at scale (issue 19): a running union keeps the checkpoint
 * in memory and reads the stored copy only when the memory does not hold the stored position
 * (start, a failed run, another instance ahead); the stored copy is written incrementally (only
 * the members the replay changed); the published state is read through the state route's own
 * function, so a stored snapshot changed after its commit is caught. Real in-process EVM, PGlite.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { devAccount, signerFor } from '../../contracts/chain.ts';
import { dataUnionAt } from '../../contracts/generated/data-union.ts';
import { createUnionServer, type UnionServer } from '../app.ts';
import type { Db } from '../db/db.ts';
import { validatorCheckpointRepo } from '../repo/validator-checkpoint-repo.ts';
import {
  insertActiveMember,
  startChainFixture,
  type ChainFixture,
} from '../test-support/chain-fixture.ts';
import { commitDishonestRoot } from '../test-support/dishonest-root.ts';
import { randomWallet } from '../test-support/fixtures.ts';
import { checkpointValues } from '../test-support/checkpoint-values.ts';
import { freshPglite } from '../test-support/pglite-template.ts';
import { tamperSnapshotTotal } from '../test-support/tamper-snapshot.ts';

let fx: ChainFixture;
let db: Db;
let server: UnionServer;
const members = [randomWallet(), randomWallet(), randomWallet()].map((w) =>
  w.address.toLowerCase(),
);
const loads = vi.spyOn(validatorCheckpointRepo, 'load');

async function commit(union = server): Promise<number> {
  await fx.purchase(100n);
  const result = await union.monoplasma!.commit();
  if (!result.committed) throw new Error(`no commit: ${result.reason}`);
  return result.blockNumber;
}

/** The stored checkpoint's member rows and the transaction that last wrote each. */
async function memberRows(): Promise<Map<string, string>> {
  const r = await db.query<{ address: string; xmin: string }>(
    'SELECT address, xmin::text AS xmin FROM validator_checkpoint_members',
  );
  return new Map(r.rows.map((row) => [row.address, row.xmin]));
}

beforeAll(async () => {
  fx = await startChainFixture({ freezePeriodSeconds: 3600n });
  db = await freshPglite();
  await insertActiveMember(db, members[0]!, { at: fx.now() });
  await insertActiveMember(db, members[1]!, { at: fx.now() });
  server = await createUnionServer({ ...fx.unionOptions(), db });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await db?.close();
  await fx?.close();
});

describe('the own check after a commit', () => {
  it('resumes from the checkpoint in memory, reading the stored one only after a restart', async () => {
    await commit(); // first check: nothing stored, nothing held
    loads.mockClear();
    const block = await commit();
    expect(loads).not.toHaveBeenCalled();
    expect(await validatorCheckpointRepo.storedBlock(db)).toBe(block);

    await server.close();
    server = await createUnionServer({ ...fx.unionOptions(), db });
    const next = await commit();
    expect(loads).toHaveBeenCalledTimes(1);
    expect(await server.monoplasma!.validateOwn()).toMatchObject({ ok: true, blockNumber: next });
    expect(loads).toHaveBeenCalledTimes(1);
  });

  it('stores only the members its replay changed', async () => {
    const before = await memberRows();
    expect([...before.keys()].sort()).toEqual([members[0]!, members[1]!].sort());
    await commit(); // revenue only: no member changes
    expect(await memberRows()).toEqual(before);

    await insertActiveMember(db, members[2]!, { at: fx.now() });
    await fx.passTime(2); // a block stamped after the join lets the watcher apply it
    await commit();
    const after = await memberRows();
    expect(after.get(members[0]!)).toBe(before.get(members[0]!));
    expect(after.get(members[1]!)).toBe(before.get(members[1]!));
    expect(after.has(members[2]!)).toBe(true);
    // Exactly the state a check from the first event stores.
    const stored = checkpointValues(await validatorCheckpointRepo.load(db));
    await db.query('DELETE FROM validator_checkpoint');
    await server.close();
    server = await createUnionServer({ ...fx.unionOptions(), db });
    expect(await server.monoplasma!.validateOwn()).toMatchObject({ ok: true });
    expect(checkpointValues(await validatorCheckpointRepo.load(db))).toEqual(stored);
  });

  it('checks the state the route publishes: a snapshot changed after its commit is caught, run after run', async () => {
    const good = (await validatorCheckpointRepo.storedBlock(db))!;
    await fx.purchase(100n);
    await server.monoplasma!.watch();
    const result = await server.monoplasma!.committer.tick();
    if (!result.committed) throw new Error(`no commit: ${result.reason}`);
    await tamperSnapshotTotal(db, result.blockNumber, members[0]!, 1n);
    const problem = `Root of block ${result.blockNumber}: committed ${result.root} but the published state hashes to`;

    loads.mockClear();
    expect((await server.monoplasma!.validateOwn())?.problem).toContain(problem);
    expect(loads).not.toHaveBeenCalled(); // resumed from memory
    expect(await validatorCheckpointRepo.storedBlock(db)).toBe(good);
    // That run moved its state on: the next one starts from the stored checkpoint.
    expect((await server.monoplasma!.validateOwn())?.problem).toContain(problem);
    expect(loads).toHaveBeenCalledTimes(1);

    const admin = dataUnionAt(
      fx.deployment.dataUnion,
      signerFor(devAccount(0).privateKey, fx.provider),
    );
    await (await admin.revoke(result.blockNumber)).wait();
    const fresh = await server.monoplasma!.commit();
    expect(fresh).toMatchObject({ committed: true });
    expect(await server.monoplasma!.validateOwn()).toMatchObject({ ok: true });
  });

  it('catches a total that went down since the last root, from the leaves it keeps in memory', async () => {
    const before = (await validatorCheckpointRepo.load(db))!;
    const leaf = (address: string) =>
      before.accounting.snapshot().members.find((m) => m.address === address)!.total;
    await fx.purchase(1n);
    await server.monoplasma!.watch();
    // Moves more than member 1 earned since the last root: its total goes down.
    const bad = await commitDishonestRoot(db, fx.provider, fx.deployment, {
      from: members[1]!,
      to: members[0]!,
      amount: 1000n,
    });
    const own = await server.monoplasma!.validateOwn();
    expect(own?.problem).toMatch(
      new RegExp(
        `^Root of block ${bad}: ${members[1]} went down from ${leaf(members[1]!)} to \\d+\\.$`,
      ),
    );
    const admin = dataUnionAt(
      fx.deployment.dataUnion,
      signerFor(devAccount(0).privateKey, fx.provider),
    );
    await (await admin.revoke(bad)).wait();
    expect(await server.monoplasma!.commit()).toMatchObject({ committed: true });
    expect(await server.monoplasma!.validateOwn()).toMatchObject({ ok: true });
  });

  it('reads the stored checkpoint when another instance moved it', async () => {
    const sibling = await createUnionServer({ ...fx.unionOptions(), db });
    try {
      const block = await commit(sibling);
      expect(await validatorCheckpointRepo.storedBlock(db)).toBe(block);
      loads.mockClear();
      expect(await server.monoplasma!.validateOwn()).toMatchObject({
        ok: true,
        blockNumber: block,
      });
      expect(loads).toHaveBeenCalledTimes(1);
      const next = await commit();
      expect(loads).toHaveBeenCalledTimes(1); // held again since
      expect(await validatorCheckpointRepo.storedBlock(db)).toBe(next);
    } finally {
      await sibling.close();
    }
  });
});
