/**
 * Address → entry index lookup over packed 20-byte addresses: an open-addressing table in one
 * Int32Array (8 bytes a member at 1 M members) instead of a Map of strings (≈ 100). Building
 * it is also where duplicate addresses are caught.
 */
import { randomBytes } from 'node:crypto';

import { ADDRESS_BYTES, bytesToHex, writeAddress } from './encoding.ts';
import { MerkleError } from './errors.ts';

const WORDS = ADDRESS_BYTES / 4;

export class AddressIndex {
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly words: Uint32Array;
  // A per-process random seed: crafted addresses cannot be aimed at one probe chain.
  private readonly seed = randomBytes(4).readUInt32LE(0);
  private readonly probe = new Uint8Array(ADDRESS_BYTES);
  private readonly probeWords = new Uint32Array(this.probe.buffer);

  /** Indexes every entry of `addresses`; throws MERKLE_DUPLICATE_ADDRESS on a repeat. */
  constructor(private readonly addresses: Uint8Array) {
    const count = addresses.length / ADDRESS_BYTES;
    let capacity = 16;
    while (capacity < 2 * count) capacity *= 2;
    this.slots = new Int32Array(capacity).fill(-1);
    this.mask = capacity - 1;
    this.words = new Uint32Array(addresses.buffer, addresses.byteOffset, count * WORDS);
    for (let entry = 0; entry < count; entry++) this.insert(entry);
  }

  /** The entry index of `address` (any letter case), or -1. */
  find(address: string): number {
    writeAddress(address, this.probe, 0);
    const p = this.probeWords;
    let slot = this.hash(p, 0) & this.mask;
    for (;;) {
      const entry = this.slots[slot] ?? -1;
      if (entry < 0) return -1;
      if (this.equals(entry, p, 0)) return entry;
      slot = (slot + 1) & this.mask;
    }
  }

  private insert(entry: number): void {
    const w = this.words;
    let slot = this.hash(w, entry * WORDS) & this.mask;
    for (;;) {
      const other = this.slots[slot] ?? -1;
      if (other < 0) {
        this.slots[slot] = entry;
        return;
      }
      if (this.equals(other, w, entry * WORDS)) {
        throw new MerkleError(
          'MERKLE_DUPLICATE_ADDRESS',
          `Address ${bytesToHex(this.addresses, entry * ADDRESS_BYTES, ADDRESS_BYTES)} appears twice (entries ${other} and ${entry}); each member must have exactly one leaf.`,
        );
      }
      slot = (slot + 1) & this.mask;
    }
  }

  private equals(entry: number, words: Uint32Array, at: number): boolean {
    const base = entry * WORDS;
    for (let k = 0; k < WORDS; k++) if (this.words[base + k] !== words[at + k]) return false;
    return true;
  }

  private hash(words: Uint32Array, at: number): number {
    let h = this.seed;
    for (let k = 0; k < WORDS; k++) {
      h = Math.imul(h ^ (words[at + k] ?? 0), 0x9e3779b1);
      h ^= h >>> 15;
    }
    h = Math.imul(h, 0x85ebca6b);
    return (h ^ (h >>> 13)) >>> 0;
  }
}
