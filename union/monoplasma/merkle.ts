/**
 * Fast Merkle tree of member totals with OpenZeppelin StandardMerkleTree's exact root, layout and
 * proofs (DESIGN §3): leaves `keccak256(keccak256(abi.encode(address, uint256)))`, sorted.
 *
 * Entries are packed into SharedArrayBuffers, hashed with hash-wasm's reused keccak, and for
 * large trees the leaf hashing and each wide tree level are split across worker threads; the
 * calling thread only packs, indexes addresses and sorts leaf keys (docs/monoplasma.md §3).
 */
import { AddressIndex } from './merkle/address-index.ts';
import { decodeDump } from './merkle/dump-format.ts';
import {
  allocatePacked,
  HASH_BYTES,
  packRange,
  sharePacked,
  type MerkleEntry,
  type PackedEntries,
} from './merkle/encoding.ts';
import { MerkleError } from './merkle/errors.ts';
import { createKeccak256, type Keccak256 } from './merkle/hashing.ts';
import type { MerkleJob } from './merkle/jobs.ts';
import { internalLevels, sortLeafOrder, type TreeStore } from './merkle/layout.ts';
import { inlineRunner, runAll, split, workerRunner, type JobRunner } from './merkle/runner.ts';
import { PackedMerkleTree, type MerkleTree } from './merkle/tree.ts';
import { warmUpMerkleWorkers } from './merkle/worker-pool.ts';

export type { MerkleEntry, PackedEntries } from './merkle/encoding.ts';
export { packEntries } from './merkle/encoding.ts';
export { MerkleError, type MerkleErrorCode } from './merkle/errors.ts';
export type { MerkleTree, StandardTreeDump } from './merkle/tree.ts';
export {
  closeMerkleWorkers,
  merkleWorkerThreads,
  warmUpMerkleWorkers,
} from './merkle/worker-pool.ts';

/** Trees with fewer members are built on the calling thread (BuildTreeOptions.parallelThreshold). */
export const MERKLE_PARALLEL_THRESHOLD = 20_000;

export interface BuildTreeOptions {
  /** Worker threads for large trees; 0 builds on the calling thread. Default 2. */
  readonly threads?: number;
  /** Trees with fewer members are built on the calling thread. Default MERKLE_PARALLEL_THRESHOLD. */
  readonly parallelThreshold?: number;
  /** Tree levels at least this wide are split across the workers. Default 8,192. */
  readonly levelSplitNodes?: number;
  /** Members packed per leaf-hashing job. Default 32,768. */
  readonly packChunk?: number;
  /**
   * When the address index (address → leaf, and the check for a repeated address) is built:
   * 'now' (default: during the hashing, and a repeated address throws from buildTree), or
   * 'on-first-lookup' for a caller whose addresses are unique by construction and that may
   * need only the root (the committer: ≈ 0.3 s of CPU saved at a million members).
   */
  readonly indexAddresses?: 'now' | 'on-first-lookup';
}

/** A tree level narrower than this is not worth a round trip to the workers. */
const LEVEL_SPLIT_NODES = 8192;
/** Leaves are packed and handed to the workers in chunks, so packing overlaps hashing. */
const PACK_CHUNK = 32_768;

let mainKeccak: Promise<Keccak256> | undefined;
function keccakOnThisThread(): Promise<Keccak256> {
  mainKeccak ??= createKeccak256();
  return mainKeccak;
}

const isPacked = (entries: readonly MerkleEntry[] | PackedEntries): entries is PackedEntries =>
  !Array.isArray(entries);

/**
 * Builds the tree of `[address, total]` leaves. Addresses are case-insensitive; a repeated
 * address throws MERKLE_DUPLICATE_ADDRESS, an empty list MERKLE_EMPTY (as OpenZeppelin does).
 */
export async function buildTree(
  entries: readonly MerkleEntry[] | PackedEntries,
  options: BuildTreeOptions = {},
): Promise<MerkleTree> {
  const count = isPacked(entries) ? entries.count : entries.length;
  if (count === 0) {
    throw new MerkleError('MERKLE_EMPTY', 'A Merkle tree needs at least one member.');
  }
  const threads = options.threads ?? 2;
  const keccak = await keccakOnThisThread();
  const runner =
    threads > 0 && count >= (options.parallelThreshold ?? MERKLE_PARALLEL_THRESHOLD)
      ? workerRunner(threads)
      : inlineRunner(keccak);

  const leaves = new Uint8Array(new SharedArrayBuffer(count * HASH_BYTES)); // entry order
  const { packed, keys, index } = await hashAllLeaves(
    entries,
    leaves,
    runner,
    options.packChunk ?? PACK_CHUNK,
    options.indexAddresses !== 'on-first-lookup',
  );
  const store: TreeStore = {
    internal: new Uint8Array(new SharedArrayBuffer((count - 1) * HASH_BYTES)),
    leaves,
    order: sortLeafOrder(leaves, keys),
  };
  await hashInternalNodes(store, runner, options.levelSplitNodes ?? LEVEL_SPLIT_NODES);
  return new PackedMerkleTree({ packed, store, index }, keccak);
}

/**
 * Packs (unless already packed) and hashes every leaf, chunk by chunk so the workers start
 * while this thread is still packing; indexes the addresses while they finish.
 */
async function hashAllLeaves(
  entries: readonly MerkleEntry[] | PackedEntries,
  leafHashes: Uint8Array,
  runner: JobRunner,
  packChunk: number,
  indexNow: boolean,
) {
  const packed = isPacked(entries) ? sharePacked(entries) : allocatePacked(entries.length);
  const { count } = packed;
  const keys = new BigUint64Array(new SharedArrayBuffer(count * 8));
  const keyWords = new Uint32Array(keys.buffer);
  const chunks = split(0, count, Math.max(runner.size, Math.ceil(count / packChunk)));
  const hashing: Array<Promise<void>> = [];
  try {
    for (const [slot, [from, to]] of chunks.entries()) {
      if (!isPacked(entries)) packRange(entries, packed, from, to);
      const { addresses, totals } = packed;
      hashing.push(
        runner.runOn(slot, {
          kind: 'leaves',
          addresses,
          totals,
          out: leafHashes,
          keyWords,
          from,
          to,
        }),
      );
    }
    const index = indexNow ? new AddressIndex(packed.addresses) : undefined;
    await Promise.all(hashing);
    return { packed, keys, index };
  } catch (error) {
    await Promise.allSettled(hashing); // let the workers finish with the buffers first
    throw error;
  }
}

async function hashInternalNodes(tree: TreeStore, runner: JobRunner, levelSplitNodes: number) {
  const job = (from: number, to: number): MerkleJob => ({ kind: 'nodes', ...tree, from, to });
  let narrowFrom = tree.order.length - 1; // every node below this index is hashed in one pass
  for (const [from, to] of internalLevels(tree.order.length)) {
    if (runner.size === 1 || to - from < levelSplitNodes) break;
    await runAll(
      runner,
      split(from, to, runner.size).map(([a, b]) => job(a, b)),
    );
    narrowFrom = from;
  }
  if (narrowFrom > 0) await runner.runOn(0, job(0, narrowFrom));
}

/**
 * Pays ahead what the first large build after a start pays once (D-047): starts the worker
 * threads, then runs one throwaway build just large enough to go to them, so both workers'
 * hashing loops and this thread's packing, sorting and indexing code are compiled before a
 * commit needs them (≈ 0.1 s of CPU after the workers' start).
 */
export async function warmUpTreeBuilds(threads = 2): Promise<void> {
  await warmUpMerkleWorkers(threads);
  const entries = Array.from({ length: MERKLE_PARALLEL_THRESHOLD }, (_, i) => ({
    address: `0x${(i + 1).toString(16).padStart(40, '0')}`,
    total: BigInt(i),
  }));
  (await buildTree(entries, { threads })).dispose();
}

export interface LoadTreeOptions {
  /** Rebuild the tree from the dumped entries and check the root (costs one build). */
  readonly verify?: boolean;
}

/** Loads a tree written by `MerkleTree#dump()`. */
export async function loadTree(
  bytes: Uint8Array,
  options: LoadTreeOptions = {},
): Promise<MerkleTree> {
  const { packed, store } = decodeDump(bytes);
  const tree = new PackedMerkleTree(
    { packed, store, index: new AddressIndex(packed.addresses) },
    await keccakOnThisThread(),
  );
  if (options.verify === true) {
    const rebuilt = await buildTree(packed);
    if (rebuilt.root !== tree.root) {
      rebuilt.dispose();
      throw new MerkleError(
        'MERKLE_INVALID_DUMP',
        `The dump claims root ${tree.root} but its entries hash to ${rebuilt.root}.`,
      );
    }
    tree.dispose();
    return rebuilt;
  }
  return tree;
}
