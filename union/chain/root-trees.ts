/**
 * The Merkle trees of committed roots that a member can still ask for (D-049): the newest usable
 * root's, and the next frozen root's once it has been built ahead of its usable time. A committed
 * snapshot never changes, so a tree is built once per root and shared by every request (and by
 * the background build) that asks for it while it is being built. A failed read or build is not
 * kept: the next request builds it again.
 */
export class RootTrees<T> {
  private readonly trees = new Map<number, Promise<T>>();

  constructor(
    /** Reads and builds the tree of the root committed at `block`. */
    private readonly build: (block: number) => Promise<T>,
  ) {}

  /** The tree of `block`, built once (concurrent callers share the build). */
  get(block: number): Promise<T> {
    const kept = this.trees.get(block);
    if (kept) return kept;
    const tree = this.build(block);
    this.trees.set(block, tree);
    tree.catch(() => {
      if (this.trees.get(block) === tree) this.trees.delete(block);
    });
    return tree;
  }

  /**
   * Forgets every tree but those of `blocks` (null: none). A request in flight keeps reading a
   * forgotten tree; it is never disposed, only no longer kept.
   */
  keepOnly(blocks: readonly (number | null)[]): void {
    for (const block of this.trees.keys()) {
      if (!blocks.includes(block)) this.trees.delete(block);
    }
  }

  /** The blocks whose trees are kept (or being built), oldest first. */
  blocks(): number[] {
    return [...this.trees.keys()].sort((a, b) => a - b);
  }
}
