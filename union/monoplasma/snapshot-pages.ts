/**
 * A snapshot's leaves as stored (migration 0010): pages of at most PAGE_LEAVES leaves, each page
 * `count` 20-byte addresses followed by `count` 32-byte big-endian totals — the bytes the Merkle
 * tree hashes (merkle/encoding.ts), so a commit stores what it built the root from, with no JSON
 * and no per-member string. 52 bytes a leaf: ≈ 52 MB at 1 M members, in 8 pages.
 */
import {
  ADDRESS_BYTES,
  allocatePacked,
  bytesToHex,
  readUint256,
  TOTAL_BYTES,
  type PackedEntries,
} from './merkle/encoding.ts';
import { MerkleError } from './merkle/errors.ts';

export const PAGE_LEAVES = 131_072;
const LEAF_BYTES = ADDRESS_BYTES + TOTAL_BYTES;

export interface SnapshotPage {
  readonly page: number;
  readonly count: number;
  readonly leaves: Uint8Array;
}

/** Splits packed entries into pages (copies: the tree may keep the packed buffers). */
export function toPages(packed: PackedEntries): SnapshotPage[] {
  const pages: SnapshotPage[] = [];
  for (let from = 0, page = 0; from < packed.count; from += PAGE_LEAVES, page++) {
    const count = Math.min(PAGE_LEAVES, packed.count - from);
    const leaves = new Uint8Array(count * LEAF_BYTES);
    leaves.set(packed.addresses.subarray(from * ADDRESS_BYTES, (from + count) * ADDRESS_BYTES));
    leaves.set(
      packed.totals.subarray(from * TOTAL_BYTES, (from + count) * TOTAL_BYTES),
      count * ADDRESS_BYTES,
    );
    pages.push({ page, count, leaves });
  }
  return pages;
}

/** Joins pages (in page order) back into packed entries; throws on a malformed page. */
export function fromPages(pages: readonly SnapshotPage[]): PackedEntries {
  const count = pages.reduce((sum, p) => sum + p.count, 0);
  const packed = allocatePacked(count);
  let at = 0;
  for (const [i, p] of pages.entries()) {
    if (p.page !== i || p.leaves.length !== p.count * LEAF_BYTES) {
      throw new MerkleError(
        'MERKLE_INVALID_DUMP',
        `Snapshot page ${p.page} is malformed (expected page ${i} with ${p.count} leaves).`,
      );
    }
    packed.addresses.set(p.leaves.subarray(0, p.count * ADDRESS_BYTES), at * ADDRESS_BYTES);
    packed.totals.set(p.leaves.subarray(p.count * ADDRESS_BYTES), at * TOTAL_BYTES);
    at += p.count;
  }
  return packed;
}

/** `{ address: total }` (lower-case 0x address → decimal text) in leaf order. */
export function totalsRecord(packed: PackedEntries): Record<string, string> {
  const totals: Record<string, string> = {};
  for (let i = 0; i < packed.count; i++) {
    totals[bytesToHex(packed.addresses, i * ADDRESS_BYTES, ADDRESS_BYTES)] = readUint256(
      packed.totals,
      i * TOTAL_BYTES,
    ).toString();
  }
  return totals;
}
