/**
 * The committer's tree leaves packed straight from the books: the same leaves, in the same order,
 * as `packEntries(treeEntries(books.snapshot(), admin))`, without an object per member (issue 19:
 * at a million members the objects, and parsing every address from hex again, cost seconds of a
 * commit). Members keep their position and address for good, so the packer keeps the packed
 * addresses of the books it last packed and parses only those of members who joined since.
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

export class TreeLeafPacker {
  private known: { books: MonoplasmaAccounting; addresses: Uint8Array } | undefined;

  /**
   * Parses the addresses of `books` that this packer has not parsed yet, and nothing else (the
   * committer's warm-up: the next pack then writes only the totals).
   */
  prepare(books: MonoplasmaAccounting): void {
    const known = this.knownOf(books);
    const members = books.memberCount;
    if (known.length === members * ADDRESS_BYTES) return;
    const addresses = new Uint8Array(members * ADDRESS_BYTES);
    addresses.set(known);
    let i = 0;
    books.forEachAddress((address) => {
      if (i * ADDRESS_BYTES >= known.length) writeAddress(address, addresses, i * ADDRESS_BYTES);
      i++;
    });
    this.known = { books, addresses };
  }

  pack(books: MonoplasmaAccounting, adminAddress: string): PackedEntries {
    const admin = adminAddress.toLowerCase();
    const adminIsMember = books.member(admin) !== undefined;
    const members = books.memberCount;
    const packed = allocatePacked(members + (adminIsMember ? 0 : 1));
    const totals = new DataView(packed.totals.buffer, packed.totals.byteOffset);
    const known = this.knownOf(books);
    packed.addresses.set(known);
    const reused = known.length / ADDRESS_BYTES;
    let i = 0;
    books.forEachTotal((address, total) => {
      if (i >= reused) writeAddress(address, packed.addresses, i * ADDRESS_BYTES);
      writeUint256(address === admin ? total + books.adminTotal : total, totals, i * TOTAL_BYTES);
      i++;
    });
    if (!adminIsMember) {
      writeAddress(admin, packed.addresses, i * ADDRESS_BYTES);
      writeUint256(books.adminTotal, totals, i * TOTAL_BYTES);
    }
    // A view, not a copy (20 MB at a million members): packed leaves are never modified.
    this.known = { books, addresses: packed.addresses.subarray(0, members * ADDRESS_BYTES) };
    return packed;
  }

  /** The addresses parsed for `books` so far, in member order (none for other books). */
  private knownOf(books: MonoplasmaAccounting): Uint8Array {
    return this.known?.books === books ? this.known.addresses : new Uint8Array(0);
  }
}
