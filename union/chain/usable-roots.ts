/**
 * The newest committed root a withdrawal can use now, and when the next frozen one thaws, however
 * many roots were committed (issue 16, item 1: a fixed lookback found none once more roots than
 * it covered were frozen).
 *
 * Each committed root's usable time is read from the DataUnion once and stored (`usable_at`).
 * `commitOf` gives it exactly while the root is frozen; for a root already usable the contract no
 * longer keeps it and answers 0, so the head block's timestamp stands in: an upper bound that is
 * already past, and still no later than any newer root's (commit times only increase). Usable
 * times thus grow with the block number, and the newest usable root is one index probe. The
 * candidate is still asked on chain whether it was revoked (a revoked root never counts).
 *
 * The usable snapshot is read once per root, as its packed leaves, and kept as its Merkle tree
 * (totals and proofs by address): a committed snapshot never changes, and at a million members
 * reading it for every earnings or proof request would move tens of megabytes each time, and a
 * map of every member's total or an object per leaf would cost seconds and hundreds of MB
 * (issue 19). Trees are kept for the newest usable root and the next frozen one only (RootTrees);
 * `prepare()` builds both ahead of any request (D-049: at a million members a build takes 1–2 s,
 * which the first request after a root became usable used to wait for).
 */
import type { Db } from '../db/db.ts';
import { buildTree, type MerkleTree } from '../monoplasma/merkle.ts';
import { monoplasmaRepo } from '../repo/monoplasma-repo.ts';
import { rootsRepo, type RootTiming } from '../repo/roots-repo.ts';
import type { ChainClient } from './chain-client.ts';
import { RootTrees } from './root-trees.ts';

export interface UsableRoot {
  blockNumber: number;
  /** The root's tree over its snapshot's leaves (shared: never disposed). */
  tree: MerkleTree;
}

export interface RootsNow {
  usable: UsableRoot | null;
  /** When the next frozen (not revoked) root becomes usable, unix seconds; null if none. */
  frozenUsableAt: number | null;
}

export class UsableRoots {
  private readonly trees: RootTrees<UsableRoot | null>;
  /**
   * A root seen live on chain when the head block was already past its usable time: the
   * DataUnion refuses to revoke a usable root (RootAlreadyUsable) and its freeze period is
   * fixed, so it stays live and is not asked again (one chain read less per earnings request).
   */
  private settled: number | null = null;

  constructor(
    private readonly db: Db,
    private readonly chain: ChainClient,
    /** The union's clock, ms. */
    private readonly now: () => number,
  ) {
    this.trees = new RootTrees(async (block) => {
      const leaves = await monoplasmaRepo.snapshotLeaves(this.db, block);
      return leaves && { blockNumber: block, tree: await buildTree(leaves) };
    });
  }

  /** The newest usable root with its tree, and when the next frozen one thaws. */
  async find(): Promise<RootsNow> {
    const { usable, frozen } = await this.candidates();
    return {
      usable: usable && (await this.trees.get(usable.blockNumber)),
      frozenUsableAt: frozen?.usableAt ?? null,
    };
  }

  /**
   * Builds the trees of the newest usable root and of the next frozen one, unless kept, so that
   * no request waits for them (D-049); rejects if a read or a build failed (nothing failed is
   * kept: the next request builds it again).
   */
  async prepare(): Promise<void> {
    const { usable, frozen } = await this.candidates();
    const blocks = [usable, frozen].flatMap((root) => (root ? [root.blockNumber] : []));
    await Promise.all(blocks.map((block) => this.trees.get(block)));
  }

  /**
   * The usable and the next frozen root now; the trees of any other root are forgotten.
   * Independent reads run side by side (issue 19: an earnings request waits for each round trip
   * it makes in a row): the head block with the check for untimed roots, then the usable and the
   * frozen candidate (disjoint: usable_at ≤ now < usable_at).
   */
  private async candidates(): Promise<{ usable: RootTiming | null; frozen: RootTiming | null }> {
    const [timedSome, head] = await Promise.all([this.timeNewRoots(), this.chain.timestamp()]);
    // A withdrawal would be mined in the next block, whose timestamp is at least the clock even
    // when the chain has been idle (a local chain mines only on demand). After timing a root,
    // the head is read again: no earlier than the time just stored.
    const chainNow = timedSome ? await this.chain.timestamp() : head;
    const nowS = Math.max(chainNow, Math.floor(this.now() / 1000));
    const [usable, frozen] = await Promise.all([
      this.firstLive(() => rootsRepo.newestUsable(this.db, nowS), chainNow),
      this.firstLive(() => rootsRepo.nextFrozen(this.db, nowS), chainNow),
    ]);
    this.trees.keepOnly([usable?.blockNumber ?? null, frozen?.blockNumber ?? null]);
    return { usable, frozen };
  }

  /**
   * The first candidate that the chain does not report revoked (revoked ones are recorded).
   * `chainNow` is the head block's time, read before: a live candidate whose stored usable time
   * (never earlier than the contract's) it has reached is settled.
   */
  private async firstLive(
    next: () => Promise<RootTiming | null>,
    chainNow: number,
  ): Promise<RootTiming | null> {
    for (;;) {
      const candidate = await next();
      if (!candidate) return null;
      if (candidate.blockNumber === this.settled) return candidate;
      const { root, revoked } = await this.chain.dataUnion.commitOf(candidate.blockNumber);
      if (!revoked && !isZero(root)) {
        if (candidate.usableAt <= chainNow) this.settled = candidate.blockNumber;
        return candidate;
      }
      await rootsRepo.markRevoked(this.db, candidate.blockNumber);
    }
  }

  /**
   * Stores the usable time of committed roots that have none yet (normally the newest one);
   * whether there was any.
   */
  private async timeNewRoots(): Promise<boolean> {
    const untimed = await rootsRepo.untimed(this.db);
    for (const block of untimed) {
      const { root, usableAt, revoked } = await this.chain.dataUnion.commitOf(block);
      if (usableAt > 0n) {
        await rootsRepo.setTiming(this.db, block, Number(usableAt), revoked);
        continue;
      }
      // Usable (or revoked, or not on this chain) by now, and so is every older root.
      const head = await this.chain.timestamp();
      if (revoked || isZero(root)) {
        await rootsRepo.setTiming(this.db, block, head, true);
        continue;
      }
      await rootsRepo.setTimingUpTo(this.db, block, head);
      break;
    }
    return untimed.length > 0;
  }
}

function isZero(root: string): boolean {
  return /^0x0*$/.test(root);
}
