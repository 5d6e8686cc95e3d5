/**
 * Snapshots as stored since migration 0010 (packed leaves in pages) and before it (JSON totals):
 * both read back as the same `{ address: total }` in leaf order and as the same packed leaves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Db } from '../db/db.ts';
import { packEntries, type MerkleEntry } from '../monoplasma/merkle.ts';
import { PAGE_LEAVES, totalsRecord } from '../monoplasma/snapshot-pages.ts';
import { freshPglite } from '../test-support/pglite-template.ts';
import { monoplasmaRepo } from './monoplasma-repo.ts';

const address = (i: number) => `0x${(i * 7919).toString(16).padStart(40, 'a')}`;
const entries = (n: number): MerkleEntry[] =>
  Array.from({ length: n }, (_, i) => ({ address: address(i), total: BigInt(i) * 10n ** 20n }));
const record = (list: MerkleEntry[]) =>
  Object.fromEntries(list.map((e) => [e.address, e.total.toString()]));
const meta = { root: `0x${'1'.repeat(64)}`, adminAddress: address(0), adminTotal: '5' };

describe('stored snapshots', () => {
  let db: Db;
  beforeAll(async () => {
    db = await freshPglite();
  });
  afterAll(async () => {
    await db.close();
  });

  it('keeps every leaf, in order, across pages', async () => {
    const list = entries(PAGE_LEAVES + 3);
    const leaves = packEntries(list);
    await monoplasmaRepo.insertSnapshot(db, {
      ...meta,
      blockNumber: 10,
      totalRevenue: '100',
      eventSeq: 4,
      leaves,
    });
    const pages = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM monoplasma_snapshot_pages WHERE block_number = 10',
    );
    expect(pages.rows[0]!.n).toBe(2);
    const totals = totalsRecord((await monoplasmaRepo.snapshotLeaves(db, 10))!);
    // Leaf order, as the tree was built (JSON text compared: deep equality of 131,075 keys is slow).
    expect(JSON.stringify(totals)).toBe(JSON.stringify(record(list)));
    expect(await monoplasmaRepo.snapshotHeader(db, 10)).toMatchObject({
      status: 'pending',
      eventSeq: 4,
      totalRevenue: '100',
    });
    const back = (await monoplasmaRepo.snapshotLeaves(db, 10))!;
    expect(Buffer.compare(back.addresses, leaves.addresses)).toBe(0);
    expect(Buffer.compare(back.totals, leaves.totals)).toBe(0);
  });

  it('reads a snapshot stored before the migration (JSON totals) as it is', async () => {
    const list = entries(5);
    await db.query(
      `INSERT INTO monoplasma_snapshots (block_number, root, totals, admin_address, admin_total,
         total_revenue, status, event_seq) VALUES (9, $1, $2::jsonb, $3, '5', '50', 'committed', 2)`,
      [meta.root, JSON.stringify(record(list)), meta.adminAddress],
    );
    // jsonb keeps keys in its own order (by length, then bytes: address order here).
    const sorted = [...list].sort((a, b) => (a.address < b.address ? -1 : 1));
    expect(JSON.stringify(totalsRecord((await monoplasmaRepo.snapshotLeaves(db, 9))!))).toBe(
      JSON.stringify(record(sorted)),
    );
    const back = (await monoplasmaRepo.snapshotLeaves(db, 9))!;
    expect(Buffer.compare(back.totals, packEntries(sorted).totals)).toBe(0);
    expect(await monoplasmaRepo.snapshotHeader(db, 8)).toBeNull();
    expect(await monoplasmaRepo.snapshotLeaves(db, 8)).toBeNull();
  });
});
