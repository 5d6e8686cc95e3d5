/**
 * Builds the Merkle trees the earnings and proof endpoints will read, in the background after the
 * union's ticks (D-049): at a million members a root's tree takes 1–2 s to build, which the first
 * request after the root became usable used to wait for. Each tick that leaves books at least as
 * large as the size from which trees are built on the worker threads starts one preparation
 * (none while one runs); smaller books (tests, `npm start`) build nothing ahead and start no
 * thread: their first request builds a small tree inline, as before.
 */
import type { MonoplasmaAccounting } from '../monoplasma/accounting.ts';
import { MERKLE_PARALLEL_THRESHOLD } from '../monoplasma/merkle.ts';

export interface RootTreePrefetchOptions {
  /** The books the last tick left in memory (BooksCache), if any. */
  books: () => MonoplasmaAccounting | undefined;
  /** Builds the trees a request will ask for next (EarningsService.prepareRoots). */
  prepare: () => Promise<void>;
  log: (message: string, error?: unknown) => void;
  /** Books with fewer members are not prepared for. Default MERKLE_PARALLEL_THRESHOLD. */
  threshold?: number;
}

export class RootTreePrefetch {
  private running: Promise<void> | undefined;
  /** A tick asked while a preparation ran: one more runs after it (it may miss a new root). */
  private again = false;
  private stopped = false;

  constructor(private readonly options: RootTreePrefetchOptions) {}

  /** After a tick: starts a preparation if the books are large enough (after the running one). */
  consider(): void {
    const { books, threshold = MERKLE_PARALLEL_THRESHOLD } = this.options;
    if (this.stopped || (books()?.memberCount ?? 0) < threshold) return;
    if (this.running === undefined) this.start();
    else this.again = true;
  }

  /** Resolves once no preparation is running or due (never rejects). */
  async settled(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }

  /** No preparation starts any more; resolves once the one in progress has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.settled();
  }

  private start(): void {
    this.again = false;
    this.running = this.options
      .prepare()
      // A failed build is not kept (RootTrees): the next request builds it, as without this.
      .catch((error: unknown) => this.options.log('root tree preparation failed', error))
      .then(() => {
        this.running = undefined;
        if (this.again && !this.stopped) this.start();
      });
  }
}
