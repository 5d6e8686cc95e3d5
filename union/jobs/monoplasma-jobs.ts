/**
 * Runs the revenue watcher and the committer on timers (when `chain.pollIntervalMs` > 0) and
 * exposes their ticks for tests and tools. A tick never overlaps the previous one; errors are
 * logged and retried on the next tick. After each successful commit (and once at start) the
 * union runs its own validator, in replay mode, over its own published data and stores the
 * result (GET /v1/validator/status); a failing or crashing check is logged, never thrown. Each
 * check resumes from the checkpoint the last clean run stored (same transaction as the status),
 * so it costs the new roots and events, not the whole log; without one it checks from the start.
 */
import type { Db } from '../db/db.ts';
import type { ChainClient } from '../chain/chain-client.ts';
import { validate } from '../chain/validator.ts';
import { parseCheckpoint } from '../chain/validator-checkpoint.ts';
import { monoplasmaRepo, type ValidatorStatusRow } from '../repo/monoplasma-repo.ts';
import { validatorCheckpointRepo } from '../repo/validator-checkpoint-repo.ts';
import { BooksCache } from './books-cache.ts';
import { Committer, type CommitResult } from './committer.ts';
import { RevenueWatcher, type WatchResult } from './revenue-watcher.ts';
import { SerialTicks } from './serial-ticks.ts';

/**
 * Roots the own check rebuilds in a run without a checkpoint (a day of hourly commits): older
 * ones were checked by earlier runs, and that replay still covers the whole log.
 */
const OWN_CHECK_ROOTS = 24;

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
}

export class MonoplasmaJobs {
  readonly watcher: RevenueWatcher;
  readonly committer: Committer;
  private readonly ticks: SerialTicks;

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
  }

  /** One watcher tick (serialised with every other tick). */
  watch(): Promise<WatchResult> {
    return this.ticks.serial(() => this.watcher.tick());
  }

  /** A watcher tick, then a committer tick, then (after a commit) the own validator check. */
  commit(): Promise<CommitResult> {
    return this.ticks.serial(async () => {
      await this.watcher.tick();
      const result = await this.committer.tick();
      if (result.committed) await this.checkOwnRoots();
      return result;
    });
  }

  /** Validates every committed root from the union's own public data; stores and returns it. */
  validateOwn(): Promise<ValidatorStatusRow | null> {
    return this.ticks.serial(() => this.checkOwnRoots());
  }

  private async checkOwnRoots(): Promise<ValidatorStatusRow | null> {
    try {
      const resume = parseCheckpoint(await validatorCheckpointRepo.load(this.db));
      const report = await validate({
        rpcUrl: '',
        provider: this.chain.provider,
        dataUnion: this.options.dataUnion,
        fromBlock: this.options.startBlock,
        replay: true,
        lastRoots: OWN_CHECK_ROOTS,
        ...(resume ? { resume } : {}),
        ...(this.options.fetchJson ? { fetchJson: this.options.fetchJson } : {}),
      });
      // Nothing committed yet, or nothing new since the checkpoint: the stored status stands.
      if (!report.last) return resume ? monoplasmaRepo.validatorStatus(this.db) : null;
      const status: ValidatorStatusRow = {
        blockNumber: report.last.blockNumber,
        root: report.last.root,
        ok: report.ok,
        problem: report.problem ?? null,
        checkedAt: new Date(this.options.now()),
        commitsChecked: report.checked.length,
      };
      const { checkpoint } = report;
      await this.db.transaction(async (tx) => {
        await monoplasmaRepo.saveValidatorStatus(tx, status);
        if (checkpoint && report.ok) {
          await validatorCheckpointRepo.save(
            tx,
            checkpoint.blockNumber,
            checkpoint,
            status.checkedAt,
          );
        }
      });
      if (!report.ok) {
        this.options.log(`own validator: MISMATCH: ${status.problem ?? 'unknown'}`);
      }
      return status;
    } catch (error) {
      this.options.log('own validator run failed', error);
      return null;
    }
  }

  start(): void {
    const { pollIntervalMs, commitPeriodSeconds } = this.options;
    if (pollIntervalMs <= 0) return;
    this.ticks.runLogged('own validator tick failed', () => this.validateOwn());
    this.ticks.every(pollIntervalMs, 'revenue watcher tick failed', () => this.watch());
    this.ticks.every(commitPeriodSeconds * 1000, 'committer tick failed', () => this.commit());
  }

  stop(): Promise<void> {
    return this.ticks.stop();
  }
}
