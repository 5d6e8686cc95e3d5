/**
 * A built Merkle tree over packed entries: root, proofs, totals by address. Proofs and root are
 * byte-for-byte those of OpenZeppelin's `StandardMerkleTree.of(values, ['address', 'uint256'])`.
 */
import { AddressIndex } from './address-index.ts';
import {
  ADDRESS_BYTES,
  bytesToHex,
  HASH_BYTES,
  readUint256,
  TOTAL_BYTES,
  type MerkleEntry,
  type PackedEntries,
} from './encoding.ts';
import { encodeDump, type TreeBuffers } from './dump-format.ts';
import { MerkleError } from './errors.ts';
import { equalHashes, words } from './bytes.ts';
import { hashLeaves, hashSortedPair, type Keccak256 } from './hashing.ts';
import { copyNodeWords, leafIndexOfEntries, proofPath, treeSize } from './layout.ts';

export const LEAF_ENCODING = ['address', 'uint256'] as const;

/** The JSON that `StandardMerkleTree.load` accepts (OpenZeppelin merkle-tree 1.x). */
export interface StandardTreeDump {
  format: 'standard-v1';
  leafEncoding: ['address', 'uint256'];
  tree: string[];
  values: Array<{ value: [string, string]; treeIndex: number }>;
}

export interface MerkleTree {
  /** bytes32 hex, lower case. */
  readonly root: string;
  readonly leafCount: number;
  has(address: string): boolean;
  /** The member's total in this tree, or undefined when the address has no leaf. */
  totalOf(address: string): bigint | undefined;
  /** Sibling hashes leaf → root, as `StandardMerkleTree#getProof`; throws MERKLE_NOT_IN_TREE. */
  getProof(address: string): string[];
  /** Entries in input order, addresses lower case. */
  entries(): IterableIterator<MerkleEntry>;
  /** Packed entries (shared memory; do not modify). */
  readonly packed: PackedEntries;
  /** Binary form for `loadTree` (dump-format.ts). */
  dump(): Uint8Array;
  /** OpenZeppelin's JSON dump, loadable with `StandardMerkleTree.load` (sized for small trees). */
  toStandardDump(): StandardTreeDump;
  /** Drops the buffers; any later call throws MERKLE_DISPOSED. */
  dispose(): void;
}

interface TreeParts extends TreeBuffers {
  /** Address → entry; built on the first lookup when undefined (see BuildTreeOptions). */
  index: AddressIndex | undefined;
}

export class PackedMerkleTree implements MerkleTree {
  readonly root: string;
  readonly leafCount: number;
  private parts: TreeParts | undefined;
  /** Per entry, the array index of its leaf (made on the first proof: a commit needs only the root). */
  private leafIndexes: Uint32Array | undefined;
  private readonly internalWords: Uint32Array;
  private readonly leafWords: Uint32Array;
  private readonly pair = new Uint8Array(2 * HASH_BYTES);
  private readonly pairWords = new Uint32Array(this.pair.buffer);

  constructor(
    parts: TreeParts,
    private readonly keccak: Keccak256,
  ) {
    this.parts = parts;
    this.leafCount = parts.packed.count;
    this.internalWords = words(parts.store.internal);
    this.leafWords = words(parts.store.leaves);
    this.root = this.nodeHex(0);
  }

  get packed(): PackedEntries {
    return this.live().packed;
  }

  has(address: string): boolean {
    return this.find(address) >= 0;
  }

  totalOf(address: string): bigint | undefined {
    const { packed } = this.live();
    const entry = this.find(address);
    return entry < 0 ? undefined : readUint256(packed.totals, entry * TOTAL_BYTES);
  }

  getProof(address: string): string[] {
    const entry = this.find(address);
    if (entry < 0) {
      throw new MerkleError('MERKLE_NOT_IN_TREE', `${address} has no leaf in this tree.`);
    }
    const leaf = this.leafIndexOf()[entry] ?? 0;
    this.assertPath(entry, leaf);
    return proofPath(leaf).map((sibling) => this.nodeHex(sibling));
  }

  *entries(): IterableIterator<MerkleEntry> {
    const { packed } = this.live();
    for (let i = 0; i < packed.count; i++) {
      yield {
        address: bytesToHex(packed.addresses, i * ADDRESS_BYTES, ADDRESS_BYTES),
        total: readUint256(packed.totals, i * TOTAL_BYTES),
      };
    }
  }

  dump(): Uint8Array {
    return encodeDump(this.live());
  }

  toStandardDump(): StandardTreeDump {
    const tree = Array.from({ length: treeSize(this.leafCount) }, (_, i) => this.nodeHex(i));
    const leafIndexOf = this.leafIndexOf();
    const values = Array.from(this.entries(), ({ address, total }, i) => ({
      value: [address, total.toString()] as [string, string],
      treeIndex: leafIndexOf[i] ?? 0,
    }));
    return { format: 'standard-v1', leafEncoding: [...LEAF_ENCODING], tree, values };
  }

  dispose(): void {
    this.parts = undefined;
  }

  private leafIndexOf(): Uint32Array {
    this.leafIndexes ??= leafIndexOfEntries(this.live().store.order);
    return this.leafIndexes;
  }

  /** The entry index of `address`, or -1; builds the address index on the first call if needed. */
  private find(address: string): number {
    const parts = this.live();
    parts.index ??= new AddressIndex(parts.packed.addresses);
    return parts.index.find(address);
  }

  private live(): TreeParts {
    if (this.parts === undefined) {
      throw new MerkleError('MERKLE_DISPOSED', 'This Merkle tree was disposed.');
    }
    return this.parts;
  }

  /** Node `index` of OpenZeppelin's array layout, as 0x hex. */
  private nodeHex(index: number): string {
    const { order } = this.live().store;
    copyNodeWords(order, this.internalWords, this.leafWords, index, this.pairWords, 0);
    return bytesToHex(this.pair, 0, HASH_BYTES);
  }

  /**
   * Re-hashes the entry and the path to the root before a proof leaves the process, as
   * OpenZeppelin does: a corrupted dump must fail loudly, not hand out a proof that the
   * contract rejects. About 22 hashes (~20 µs at 1 M members).
   */
  private assertPath(entry: number, leaf: number): void {
    const { packed, store } = this.live();
    const { pair, pairWords } = this;
    hashLeaves(this.keccak, packed.addresses, packed.totals, pair, entry, entry + 1, 0);
    let ok = equalHashes(pair, 0, store.leaves, entry * HASH_BYTES);
    for (let i = leaf; ok && i > 0; i = (i - 1) >> 1) {
      const parent = (i - 1) >> 1;
      copyNodeWords(store.order, this.internalWords, this.leafWords, 2 * parent + 1, pairWords, 0);
      copyNodeWords(store.order, this.internalWords, this.leafWords, 2 * parent + 2, pairWords, 8);
      hashSortedPair(this.keccak, pair, pairWords);
      ok = equalHashes(this.keccak.digest('binary'), 0, store.internal, parent * HASH_BYTES);
    }
    if (!ok) {
      throw new MerkleError(
        'MERKLE_INVALID_DUMP',
        'The stored tree does not match its entries; rebuild it from the snapshot.',
      );
    }
  }
}
