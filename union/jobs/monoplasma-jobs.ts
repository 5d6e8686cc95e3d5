/**
 * Runs the revenue watcher and the committer on timers (when `chain.pollIntervalMs` > 0) and
 * exposes their ticks for tests and tools. A tick never overlaps the previous one; errors are
 * logged and retried on the next tick.
 */
import type { Db } from '../db/db.ts';
import type { ChainClient } from '../chain/chain-client.ts';
import { Committer, type CommitResult } from './committer.ts';
import { RevenueWatcher, type WatchResult } from './revenue-watcher.ts';

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
}

export class MonoplasmaJobs {
  readonly watcher: RevenueWatcher;
  readonly committer: Committer;
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    db: Db,
    chain: ChainClient,
    private readonly options: MonoplasmaJobsOptions,
  ) {
    this.watcher = new RevenueWatcher(db, chain, options);
    this.committer = new Committer(db, chain, options);
  }

  /** One watcher tick (serialised with every other tick). */
  watch(): Promise<WatchResult> {
    return this.serial(() => this.watcher.tick());
  }

  /** A watcher tick, then a committer tick. */
  commit(): Promise<CommitResult> {
    return this.serial(async () => {
      await this.watcher.tick();
      return this.committer.tick();
    });
  }

  start(): void {
    const { pollIntervalMs, commitPeriodSeconds } = this.options;
    if (pollIntervalMs <= 0) return;
    const guard = (name: string, fn: () => Promise<unknown>) => () => {
      if (this.stopped) return;
      fn().catch((error: unknown) => this.options.log(`${name} tick failed`, error));
    };
    this.timers.push(
      setInterval(
        guard('revenue watcher', () => this.watch()),
        pollIntervalMs,
      ),
    );
    this.timers.push(
      setInterval(
        guard('committer', () => this.commit()),
        commitPeriodSeconds * 1000,
      ),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.running.catch(() => undefined);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.running.then(fn, fn);
    this.running = result.catch(() => undefined);
    return result;
  }
}
