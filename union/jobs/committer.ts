/**
 * Committer (DESIGN §3, §5): when the accounting changed since the last snapshot, it takes the
 * state at the watcher's cursor block, builds the Merkle tree (admin fees in the admin's leaf),
 * stores the snapshot — its leaves packed as the tree hashed them (snapshot-pages.ts), published
 * at GET /v1/state/:block — and sends
 * `DataUnion.commit(block, root, stateUri)`. The database part runs under the singleton
 * advisory lock; the chain part runs after it (the contract refuses a second root for the same
 * or an older block, so a racing instance cannot commit twice). A revoked newest root counts as a
 * change: the next tick commits a fresh root for a newer block.
 */
import type { Db } from '../db/db.ts';
import type { MonoplasmaAccounting } from '../monoplasma/accounting.ts';
import { buildTree } from '../monoplasma/merkle.ts';
import { TreeLeafPacker } from '../monoplasma/tree-leaves.ts';
import { monoplasmaRepo } from '../repo/monoplasma-repo.ts';
import type { ChainClient } from '../chain/chain-client.ts';
import { BooksCache } from './books-cache.ts';

export interface CommitterOptions {
  /** Receives the fee leaf; keep stable across commits. */
  admin: string;
  publicUrl: () => string;
}

export type CommitResult =
  | { committed: true; blockNumber: number; root: string; txHash: string }
  | { committed: false; reason: 'locked' | 'unchanged' | 'no-state' | 'not-newer' };

export function stateUri(publicUrl: string, block: number): string {
  return `${publicUrl.replace(/\/$/, '')}/v1/state/${block}`;
}

export class Committer {
  private readonly leaves = new TreeLeafPacker();

  constructor(
    private readonly db: Db,
    private readonly chain: ChainClient,
    private readonly options: CommitterOptions,
    /** Shared with the revenue watcher of the same process (MonoplasmaJobs). */
    private readonly books = new BooksCache(),
  ) {}

  /** Parses the addresses of `books` ahead of the next commit (the warm-up). */
  prepareLeaves(books: MonoplasmaAccounting): void {
    this.leaves.prepare(books);
  }

  async tick(): Promise<CommitResult> {
    const latestOnChain = Number(await this.chain.dataUnion.latestCommittedBlock());
    // A revoked newest root is no root: commit again (for a newer block) even if the books did
    // not change since, so members do not wait for the next revenue to get a usable root.
    const revoked =
      latestOnChain > 0 && (await this.chain.dataUnion.commitOf(latestOnChain)).revoked;
    const prepared = await this.books.run(() =>
      this.db.transaction(async (tx) => {
        if (!(await monoplasmaRepo.tryLock(tx))) return { skip: 'locked' as const };
        const state = await monoplasmaRepo.state(tx, true);
        if (!state) return { skip: 'no-state' as const };
        if (!state.changed && !revoked) return { skip: 'unchanged' as const };
        const block = state.cursorBlock;
        const stored = await monoplasmaRepo.latestSnapshotBlock(tx);
        if (block <= latestOnChain || (stored !== null && block <= stored)) {
          return { skip: 'not-newer' as const };
        }
        const books = await this.books.at(tx, state);
        const leaves = this.leaves.pack(books, this.options.admin);
        // Only the root is needed, and the books hold each address once (the admin's fees are
        // added to its leaf): no address index.
        const tree = await buildTree(leaves, { indexAddresses: 'on-first-lookup' });
        const root = tree.root;
        tree.dispose();
        await monoplasmaRepo.insertSnapshot(tx, {
          blockNumber: block,
          root,
          leaves,
          adminAddress: this.options.admin.toLowerCase(),
          adminTotal: books.adminTotal.toString(),
          totalRevenue: books.totalRevenue.toString(),
          // The state row and the events are written together under the lock held here.
          eventSeq: await monoplasmaRepo.lastEventSeq(tx),
        });
        await monoplasmaRepo.setChanged(tx, false);
        return { block, root };
      }),
    );
    if ('skip' in prepared) return { committed: false, reason: prepared.skip };

    const { block, root } = prepared;
    try {
      const tx = await this.chain.send('commit', [
        block,
        root,
        stateUri(this.options.publicUrl(), block),
      ]);
      await monoplasmaRepo.markSnapshot(this.db, block, 'pending', tx.hash);
      await this.chain.confirm(tx);
      await monoplasmaRepo.markSnapshot(this.db, block, 'committed', tx.hash);
      return { committed: true, blockNumber: block, root, txHash: tx.hash };
    } catch (error) {
      // Leave the state "changed" so the next tick commits a newer block.
      await monoplasmaRepo.markSnapshot(this.db, block, 'failed', null, errorText(error));
      await monoplasmaRepo.setChanged(this.db, true);
      throw error;
    }
  }
}

export function errorText(error: unknown): string {
  const e = error as { shortMessage?: string; message?: string };
  return (e.shortMessage ?? e.message ?? String(error)).slice(0, 500);
}
