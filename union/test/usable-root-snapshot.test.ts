/**
 * Issue 19: the earnings and proof endpoints read the usable root's snapshot (every member's
 * total: tens of megabytes at a million members) once per root, not once per request, and read
 * the next root's when it becomes usable. Real in-process EVM and PGlite; the database is wrapped
 * to count snapshot reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createUnionServer, type UnionServer } from '../app.ts';
import type { Db } from '../db/db.ts';
import {
  insertActiveMember,
  startChainFixture,
  type ChainFixture,
} from '../test-support/chain-fixture.ts';
import { randomWallet } from '../test-support/fixtures.ts';
import { freshPglite } from '../test-support/pglite-template.ts';

const FREEZE = 60;
const member = randomWallet().address.toLowerCase();
let fx: ChainFixture;
let db: Db;
let server: UnionServer;
let snapshotReads = 0;

/** `db`, counting the statements that read one snapshot row with its totals. */
function counting(inner: Db): Db {
  return new Proxy(inner, {
    get(target, key, receiver) {
      if (key !== 'query') return Reflect.get(target, key, receiver) as unknown;
      return (sql: string, params?: readonly unknown[]) => {
        if (/FROM monoplasma_snapshots WHERE block_number = \$1/.test(sql)) snapshotReads++;
        return target.query(sql, params);
      };
    },
  });
}

async function commitUsable(): Promise<number> {
  await fx.purchase(10n);
  const result = await server.monoplasma!.commit();
  if (!result.committed) throw new Error(`no commit: ${result.reason}`);
  await fx.passTime(FREEZE + 1);
  return result.blockNumber;
}

async function get(path: string) {
  const res = await server.app.inject({ method: 'GET', url: path });
  expect(res.statusCode).toBe(200);
  return res.json<Record<string, unknown>>();
}

beforeAll(async () => {
  fx = await startChainFixture({ freezePeriodSeconds: BigInt(FREEZE) });
  db = await freshPglite();
  await insertActiveMember(db, member, { at: fx.now() });
  server = await createUnionServer({ ...fx.unionOptions(), db: counting(db) });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await db?.close();
  await fx?.close();
});

describe('the usable snapshot', () => {
  it('is read once for many earnings and proof requests, and again for a newer root', async () => {
    const first = await commitUsable();
    snapshotReads = 0;
    for (let i = 0; i < 3; i++) {
      expect(await get(`/v1/members/${member}/earnings`)).toMatchObject({ withdrawn: '0' });
      expect(await get(`/v1/members/${member}/proof`)).toMatchObject({ blockNumber: first });
    }
    expect(snapshotReads).toBe(1);

    const second = await commitUsable();
    snapshotReads = 0;
    expect(await get(`/v1/members/${member}/proof`)).toMatchObject({ blockNumber: second });
    expect(await get(`/v1/members/${member}/earnings`)).toMatchObject({ withdrawn: '0' });
    expect(snapshotReads).toBe(1);
  });
});
