/**
 * The books kept in memory between the revenue watcher's and the committer's ticks (issue 19):
 * loading every member's row costs seconds at a million members, so a tick reuses the books it
 * left while the stored version (bumped by every save, monoplasma_state.version) is still the one
 * it wrote. After another instance's saves (a newer version) it reads only the header and the
 * member rows those saves wrote (each row carries the version that wrote it). A tick that fails
 * after touching the books drops them: they may be ahead of what was stored.
 */
import type { Queryable } from '../db/db.ts';
import { AccountingError, MonoplasmaAccounting } from '../monoplasma/accounting.ts';
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
    const kept = this.kept;
    if (kept?.version === state.version) return kept.books;
    this.kept = undefined;
    if (kept && kept.version < state.version) {
      // Another instance saved since: read only the rows its saves wrote.
      try {
        kept.books.catchUp(state.accounting, await booksRepo.changedSince(tx, kept.version));
        this.kept = { version: state.version, books: kept.books };
        return kept.books;
      } catch (error) {
        if (!(error instanceof AccountingError)) throw error;
      }
    }
    const books = await booksRepo.load(tx, state.accounting);
    this.kept = { version: state.version, books };
    return books;
  }

  /** The books kept now, if any (they may be behind what is stored). */
  current(): MonoplasmaAccounting | undefined {
    return this.kept?.books;
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
