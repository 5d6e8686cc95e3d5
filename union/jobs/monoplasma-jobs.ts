/**
 * Runs the revenue watcher and the committer on timers (when `chain.pollIntervalMs` > 0) and
 * exposes their ticks for tests and tools. A tick never overlaps the previous one; errors are
 * logged and retried on the next tick. After each successful commit (and once at start) the
 * union runs its own validator, in replay mode, over its own published data and stores the
 * result (GET /v1/validator/status); a failing or crashing check is logged, never thrown. Each
 * check resumes from the checkpoint the last clean run left (in memory between runs, stored in the
 * same transaction as the status; chain/own-validator.ts), so it costs the new roots and events,
 * not the whole log; without one it checks from the start.
 */
import type { Db } from '../db/db.ts';
import type { ChainClient } from '../chain/chain-client.ts';
import { OwnValidator } from '../chain/own-validator.ts';
import type { ValidatorStatusRow } from '../repo/monoplasma-repo.ts';
import { BooksCache } from './books-cache.ts';
import { CommitWarmUp } from './commit-warm-up.ts';
import { Committer, type CommitResult } from './committer.ts';
import { RevenueWatcher, type WatchResult } from './revenue-watcher.ts';
import { RootTreePrefetch } from './root-tree-prefetch.ts';
import { SerialTicks } from './serial-ticks.ts';

export interface MonoplasmaJobsOptions {
  dataUnion: string;
  admin: string;
  startBlock: number;
  activityWindowSeconds: number;
  minMembershipAgeSeconds: number;
  pollIntervalMs: number;
  commitPeriodSeconds: number;
  publicUrl: () => string;
  now: () => number;
  log: (message: string, error?: unknown) => void;
  /** Reads the union's own published JSON (default: fetch over HTTP). */
  fetchJson?: (url: string) => Promise<unknown>;
  /**
   * Builds the trees the earnings and proof endpoints will read (EarningsService.prepareRoots);
   * run in the background after ticks once the books are large (root-tree-prefetch.ts).
   */
  prepareRoots?: () => Promise<void>;
}

export class MonoplasmaJobs {
  readonly watcher: RevenueWatcher;
  readonly committer: Committer;
  private readonly ticks: SerialTicks;
  private readonly own: OwnValidator;
  private readonly warmUp: CommitWarmUp;
  private readonly prefetch: RootTreePrefetch | undefined;

  constructor(
    private readonly db: Db,
    private readonly chain: ChainClient,
    private readonly options: MonoplasmaJobsOptions,
  ) {
    // One copy of the books in memory, kept between ticks (books-cache.ts).
    const books = new BooksCache();
    this.watcher = new RevenueWatcher(db, chain, options, books);
    this.committer = new Committer(db, chain, options, books);
    this.ticks = new SerialTicks(options.log);
    this.own = new OwnValidator(db, chain, options);
    this.warmUp = new CommitWarmUp({
      books: () => books.current(),
      prepare: (current) => this.committer.prepareLeaves(current),
      log: options.log,
    });
    const { prepareRoots } = options;
    this.prefetch =
      prepareRoots &&
      new RootTreePrefetch({
        books: () => books.current(),
        prepare: prepareRoots,
        log: options.log,
      });
  }

  /**
   * One watcher tick (serialised with every other tick). Once the books it leaves are large,
   * the committer's warm-up (commit-warm-up.ts) and the preparation of the usable and next
   * frozen roots' trees (root-tree-prefetch.ts) start in the background.
   */
  watch(): Promise<WatchResult> {
    return this.ticks.serial(() => this.watchAndWarm());
  }

  /** Resolves once the committer's warm-up, if one started, has finished (tools, benchmarks). */
  warmedUp(): Promise<void> {
    return this.warmUp.settled();
  }

  /** Resolves once the roots' trees started after a tick, if any, are built (tests, benchmarks). */
  async rootsPrepared(): Promise<void> {
    await this.prefetch?.settled();
  }

  private async watchAndWarm(prepareRoots = true): Promise<WatchResult> {
    const result = await this.watcher.tick();
    this.warmUp.consider();
    if (prepareRoots) this.prefetch?.consider();
    return result;
  }

  /**
   * A watcher tick, then a committer tick, then (after a commit) the own validator check; the
   * roots' trees are prepared after the committer tick.
   */
  commit(): Promise<CommitResult> {
    return this.ticks.serial(async () => {
      // The commit has the Merkle workers to itself: a tree being prepared is finished first,
      // and the next is prepared after the commit, with the new root in view.
      await this.watchAndWarm(false);
      await this.prefetch?.settled();
      const result = await this.committer.tick();
      this.prefetch?.consider();
      if (result.committed) await this.checkOwnRoots();
      return result;
    });
  }

  /** Validates every committed root from the union's own public data; stores and returns it. */
  validateOwn(): Promise<ValidatorStatusRow | null> {
    return this.ticks.serial(() => this.checkOwnRoots());
  }

  private checkOwnRoots(): Promise<ValidatorStatusRow | null> {
    return this.own.run();
  }

  start(): void {
    const { pollIntervalMs, commitPeriodSeconds } = this.options;
    if (pollIntervalMs <= 0) return;
    this.ticks.runLogged('own validator tick failed', () => this.validateOwn());
    this.ticks.every(pollIntervalMs, 'revenue watcher tick failed', () => this.watch());
    this.ticks.every(commitPeriodSeconds * 1000, 'committer tick failed', () => this.commit());
  }

  /**
   * Stops the timers; waits for the tick, the warm-up and the tree preparation in progress (their
   * threads then close); no preparation starts after.
   */
  async stop(): Promise<void> {
    await this.ticks.stop();
    await this.warmUp.settled();
    await this.prefetch?.stop();
  }
}
