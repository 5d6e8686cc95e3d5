/**
 * What a validator must catch, for tests: one leaf's total changed in a stored snapshot (its
 * packed page, migration 0010) after the root was committed, so the published state no longer
 * hashes to the root.
 */
import type { Db } from '../db/db.ts';
import { ADDRESS_BYTES, TOTAL_BYTES, writeUint256 } from '../monoplasma/merkle/encoding.ts';
import { PAGE_LEAVES, totalsRecord } from '../monoplasma/snapshot-pages.ts';
import { monoplasmaRepo } from '../repo/monoplasma-repo.ts';

export async function tamperSnapshotTotal(
  db: Db,
  block: number,
  address: string,
  total: bigint,
): Promise<void> {
  const leaves = (await monoplasmaRepo.snapshotLeaves(db, block))!;
  const wanted = address.toLowerCase();
  const leaf = Object.keys(totalsRecord(leaves)).indexOf(wanted);
  if (leaf < 0) throw new Error(`${wanted} has no leaf in snapshot ${block}`);
  const page = Math.floor(leaf / PAGE_LEAVES);
  const count = Math.min(PAGE_LEAVES, leaves.count - page * PAGE_LEAVES);
  const bytes = new Uint8Array(TOTAL_BYTES);
  writeUint256(total, new DataView(bytes.buffer), 0);
  await db.query(
    `UPDATE monoplasma_snapshot_pages SET leaves = overlay(leaves PLACING $3 FROM $4)
     WHERE block_number = $1 AND page = $2`,
    [block, page, bytes, count * ADDRESS_BYTES + (leaf % PAGE_LEAVES) * TOTAL_BYTES + 1],
  );
}
