/**
 * The committer's warm-up (D-047): the first commit after a start also starts the Merkle worker
 * threads, runs cold code and parses every member's address for the leaf packer — ≈ 2 s of CPU
 * at a million members, enough to miss the 3 s goal. Once the books (as a tick left them) are
 * large enough to be built on the workers, that is paid once, in the background, between ticks.
 * Smaller books (tests, `npm start`) start no thread: their trees are built inline anyway.
 */
import type { MonoplasmaAccounting } from '../monoplasma/accounting.ts';
import { MERKLE_PARALLEL_THRESHOLD, warmUpTreeBuilds } from '../monoplasma/merkle.ts';

export interface CommitWarmUpOptions {
  /** The books the last tick left in memory (BooksCache), if any. */
  books: () => MonoplasmaAccounting | undefined;
  /** Does, on these books, what only the first commit pays (parsing every address for the packer). */
  prepare: (books: MonoplasmaAccounting) => void;
  log: (message: string, error?: unknown) => void;
  /** Books with fewer members are not warmed up for. Default MERKLE_PARALLEL_THRESHOLD. */
  threshold?: number;
}

export class CommitWarmUp {
  private running: Promise<void> | undefined;

  constructor(private readonly options: CommitWarmUpOptions) {}

  /** After a tick: starts the warm-up if the books reached the threshold and none ran yet. */
  consider(): void {
    const { books, threshold = MERKLE_PARALLEL_THRESHOLD } = this.options;
    if (this.running !== undefined || (books()?.memberCount ?? 0) < threshold) return;
    this.running = this.warmUp().catch((error: unknown) =>
      this.options.log('committer warm-up failed', error),
    );
  }

  /** Resolves once the warm-up, if one started, has finished (never rejects). */
  async settled(): Promise<void> {
    await this.running;
  }

  private async warmUp(): Promise<void> {
    await warmUpTreeBuilds();
    // The books of now, not of when it started: a failed tick in between drops them.
    const books = this.options.books();
    if (books !== undefined) this.options.prepare(books);
  }
}
