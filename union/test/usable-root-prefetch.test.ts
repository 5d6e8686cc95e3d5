/**
 * D-049 (issue 19): in a union whose books are large enough to build trees on the worker threads,
 * the tree of a committed root is built in the background after the union's tick, before the root
 * becomes usable: the first earnings or proof request after that reads no snapshot (builds no
 * tree). A failed background build leaves nothing behind (concurrent first requests then share
 * one build, as before), and closing the union in the middle of one leaves no thread running.
 * Real in-process EVM and PGlite; the database is wrapped to count (or fail) snapshot reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createUnionServer, type UnionServer } from '../app.ts';
import type { Db } from '../db/db.ts';
import { MERKLE_PARALLEL_THRESHOLD, merkleWorkerThreads } from '../monoplasma/merkle.ts';
import { startChainFixture, type ChainFixture } from '../test-support/chain-fixture.ts';
import { freshPglite } from '../test-support/pglite-template.ts';
import { seedActiveMembers } from '../test-support/seed-members.ts';

const FREEZE = 600;
const member = `0x${'1'.padStart(40, '0')}`;
let fx: ChainFixture;
let db: Db;
let snapshotReads = 0;
let failSnapshotReads = 0;
/** While set, snapshot reads wait for it. */
let holdSnapshotReads: Promise<void> | undefined;

/** `db`, counting the statements that read one snapshot row, failing the next `failSnapshotReads`. */
function counting(inner: Db): Db {
  return new Proxy(inner, {
    get(target, key, receiver) {
      if (key !== 'query') return Reflect.get(target, key, receiver) as unknown;
      return (sql: string, params?: readonly unknown[]) => {
        if (/FROM monoplasma_snapshots WHERE block_number = \$1/.test(sql)) {
          snapshotReads++;
          if (failSnapshotReads > 0) {
            failSnapshotReads--;
            return Promise.reject(new Error('snapshot read failed (test)'));
          }
          if (holdSnapshotReads) return holdSnapshotReads.then(() => target.query(sql, params));
        }
        return target.query(sql, params);
      };
    },
  });
}

async function open(): Promise<UnionServer> {
  return createUnionServer({ ...fx.unionOptions(), db: counting(db) });
}

/** A purchase and a committed root for it (the commit tick starts the tree's preparation). */
async function commit(server: UnionServer): Promise<number> {
  await fx.purchase(100_000n);
  const result = await server.monoplasma!.commit();
  if (!result.committed) throw new Error(`no commit: ${result.reason}`);
  return result.blockNumber;
}

async function earnings(server: UnionServer) {
  const res = await server.app.inject({ method: 'GET', url: `/v1/members/${member}/earnings` });
  expect(res.statusCode).toBe(200);
  return res.json<Record<string, unknown>>();
}

beforeAll(async () => {
  fx = await startChainFixture({ freezePeriodSeconds: BigInt(FREEZE) });
  db = await freshPglite();
  await seedActiveMembers(db, new Date(fx.now()), MERKLE_PARALLEL_THRESHOLD);
}, 120_000);

afterAll(async () => {
  await db?.close();
  await fx?.close();
});

describe('the usable root tree, built before a member asks', () => {
  it('is ready when the root becomes usable: the first request reads no snapshot', async () => {
    const server = await open();
    try {
      const block = await commit(server);
      await server.monoplasma!.rootsPrepared();
      await fx.passTime(FREEZE + 1);
      snapshotReads = 0;
      const first = await earnings(server);
      expect(BigInt(String(first.withdrawable))).toBeGreaterThan(0n);
      const proof = await server.app.inject({ method: 'GET', url: `/v1/members/${member}/proof` });
      expect(proof.json()).toMatchObject({ blockNumber: block });
      expect(snapshotReads).toBe(0);
    } finally {
      await server.close();
    }
    expect(merkleWorkerThreads()).toBe(0);
  }, 120_000);

  it('after a failed background build, the first requests share one build and answer', async () => {
    // The root is committed (and its tree built) by one instance; a second one, started while
    // it is still frozen, fails to read its snapshot in the background after its first tick.
    const committing = await open();
    await commit(committing);
    await committing.close();
    const server = await open();
    try {
      failSnapshotReads = 10;
      snapshotReads = 0;
      await server.monoplasma!.watch();
      await server.monoplasma!.rootsPrepared();
      // The background reads (of the usable root and of the frozen one) were made, and failed.
      expect(snapshotReads).toBe(2);
      expect(failSnapshotReads).toBe(8);
      failSnapshotReads = 0;
      await fx.passTime(FREEZE + 1);
      snapshotReads = 0;
      const answers = await Promise.all([earnings(server), earnings(server), earnings(server)]);
      expect(new Set(answers.map((a) => a.withdrawable)).size).toBe(1);
      expect(BigInt(String(answers[0].withdrawable))).toBeGreaterThan(0n);
      expect(snapshotReads).toBe(1);
    } finally {
      await server.close();
    }
  }, 120_000);

  it('closing the union during a background build waits for it and leaves no thread running', async () => {
    const server = await open();
    let release: () => void = () => undefined;
    holdSnapshotReads = new Promise<void>((resolve) => (release = resolve));
    snapshotReads = 0;
    await server.monoplasma!.watch(); // starts reading and building the usable root's tree
    let closed = false;
    const closing = server.close().then(() => (closed = true));
    // The read is held: close() cannot finish before it is released (bounded only so that a
    // close that does not wait fails here instead of hanging; the outcome does not depend on it).
    await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 1000))]);
    expect(closed).toBe(false);
    expect(snapshotReads).toBe(1);
    release();
    holdSnapshotReads = undefined;
    await closing;
    let prepared = false;
    await server.monoplasma!.rootsPrepared().then(() => (prepared = true));
    expect(prepared).toBe(true);
    expect(merkleWorkerThreads()).toBe(0);
  }, 120_000);
});
