/**
 * The books kept in memory between the revenue watcher's and the committer's ticks (issue 19):
 * loading every member's row costs seconds at a million members, so a tick reuses the books it
 * left while the stored version (bumped by every save, monoplasma_state.version) is still the one
 * it wrote. Another instance's save changes the version, and the next tick loads again. A tick
 * that fails after touching the books drops them: they may be ahead of what was stored.
 */
import type { Queryable } from '../db/db.ts';
import { MonoplasmaAccounting } from '../monoplasma/accounting.ts';
import { booksRepo } from '../repo/books-repo.ts';
import type { StateRow } from '../repo/monoplasma-repo.ts';

export class BooksCache {
  private kept: { version: number; books: MonoplasmaAccounting } | undefined;

  /**
   * The books at `state` (read in `tx`, under the singleton lock): the kept ones if still
   * current, else loaded (and kept); fresh books (with `minMembershipAgeSeconds`) when nothing
   * is stored. A caller that changes them must do so inside `run`.
   */
  async at(
    tx: Queryable,
    state: StateRow | null,
    minMembershipAgeSeconds = 0,
  ): Promise<MonoplasmaAccounting> {
    if (state === null) return new MonoplasmaAccounting({ minMembershipAgeSeconds });
    if (this.kept?.version === state.version) return this.kept.books;
    this.kept = undefined;
    const books = await booksRepo.load(tx, state.accounting);
    this.kept = { version: state.version, books };
    return books;
  }

  /** After the transaction that stored `books` as `version` committed. */
  keep(version: number, books: MonoplasmaAccounting): void {
    this.kept = { version, books };
  }

  /** After a failed tick: the kept books may hold changes that were rolled back. */
  drop(): void {
    this.kept = undefined;
  }

  /** Runs one tick's transaction with the books, dropping them when it throws. */
  async run<T>(tick: () => Promise<T>): Promise<T> {
    try {
      return await tick();
    } catch (error) {
      this.drop();
      throw error;
    }
  }
}
