/**
 * The committer's tree leaves packed straight from the books: the same leaves, in the same order,
 * as `packEntries(treeEntries(books.snapshot(), admin))`, without an object per member (at a
 * million members the objects cost more than half a second of a commit, issue 19).
 */
import type { MonoplasmaAccounting } from './accounting.ts';
import {
  ADDRESS_BYTES,
  allocatePacked,
  TOTAL_BYTES,
  writeAddress,
  writeUint256,
  type PackedEntries,
} from './merkle/encoding.ts';

export function packedTreeLeaves(books: MonoplasmaAccounting, adminAddress: string): PackedEntries {
  const admin = adminAddress.toLowerCase();
  const adminIsMember = books.member(admin) !== undefined;
  const packed = allocatePacked(books.memberCount + (adminIsMember ? 0 : 1));
  const totals = new DataView(packed.totals.buffer, packed.totals.byteOffset);
  let i = 0;
  const put = (address: string, total: bigint) => {
    writeAddress(address, packed.addresses, i * ADDRESS_BYTES);
    writeUint256(total, totals, i * TOTAL_BYTES);
    i++;
  };
  books.forEachTotal((address, total) =>
    put(address, address === admin ? total + books.adminTotal : total),
  );
  if (!adminIsMember) put(admin, books.adminTotal);
  return packed;
}
