/**
 * Report retention (issue 19; docs/privacy.md "What the union keeps, and for how long"): a
 * singleton job that deletes the plain reports of every epoch that is published, whose acceptance
 * window and product grace have closed, and that was published at least `keepSeconds` ago.
 * Everything derived from a report is written by its own insert (the member's activity, the
 * overview's per-epoch summaries) or by the publication (the product row), so nothing reads a
 * report after that; an epoch that is not published keeps its reports.
 *
 * Each batch (at most `batchRows` rows) is its own short transaction under the retention lock:
 * an instance that does not get it stops its pass (another is deleting), a crash loses at most
 * one uncommitted batch, and the next pass finds what is left — deleting twice is impossible and
 * running again changes nothing. Batched DELETE rather than partitions: docs/decisions.md D-043.
 */
import type { Db } from '../db/db.ts';
import { retentionRepo, type RetentionCutoff } from '../repo/retention-repo.ts';
import { SerialTicks } from './serial-ticks.ts';

/** Epochs looked at per query; a pass pages through all due ones. */
const EPOCH_PAGE = 50;

export interface ReportRetentionOptions {
  /** The union's acceptance window (seconds). */
  acceptanceWindowSeconds: number;
  /** The product's grace after the window (seconds). */
  graceSeconds: number;
  /** Reports stay this long after their epoch was published (seconds). */
  keepSeconds: number;
  /** Rows deleted per transaction. */
  batchRows: number;
  /** Run every this many ms; 0 = only on demand. */
  intervalMs: number;
  now: () => number;
  log: (message: string, error?: unknown) => void;
}

export interface RetentionResult {
  /** False when another instance held the lock. */
  ran: boolean;
  /** Reports deleted by this pass. */
  deleted: number;
  /** Epochs this pass emptied (or found empty of due rows). */
  epochs: number;
}

export class ReportRetention {
  private readonly ticks: SerialTicks;

  constructor(
    private readonly db: Db,
    private readonly options: ReportRetentionOptions,
  ) {
    this.ticks = new SerialTicks(options.log);
  }

  /** One pass (serialised with the previous one). */
  runNow(): Promise<RetentionResult> {
    return this.ticks.serial(() => this.pass());
  }

  start(): void {
    if (this.options.intervalMs <= 0) return;
    this.ticks.runLogged('report retention failed', () => this.runNow());
    this.ticks.every(this.options.intervalMs, 'report retention failed', () => this.runNow());
  }

  stop(): Promise<void> {
    return this.ticks.stop();
  }

  private cutoff(): RetentionCutoff {
    const nowMs = this.options.now();
    const { acceptanceWindowSeconds, graceSeconds, keepSeconds } = this.options;
    return {
      publishedBefore: new Date(nowMs - keepSeconds * 1000),
      // The product job's rule: published strictly after end + window + grace.
      endedBy: Math.floor(nowMs / 1000) - acceptanceWindowSeconds - graceSeconds - 1,
    };
  }

  private async pass(): Promise<RetentionResult> {
    const cutoff = this.cutoff();
    const result: RetentionResult = { ran: true, deleted: 0, epochs: 0 };
    let after = Number.MIN_SAFE_INTEGER;
    for (;;) {
      const epochs = await retentionRepo.dueEpochs(this.db, cutoff, after, EPOCH_PAGE);
      for (const epoch of epochs) {
        if (!(await this.emptyEpoch(epoch, cutoff.endedBy, result))) {
          result.ran = false;
          return this.finish(result);
        }
        result.epochs++;
      }
      if (epochs.length < EPOCH_PAGE) return this.finish(result);
      after = epochs[epochs.length - 1]!;
    }
  }

  /** Deletes the epoch's due reports batch by batch; false if the lock was taken. */
  private async emptyEpoch(epoch: number, endedBy: number, result: RetentionResult) {
    const { batchRows } = this.options;
    for (;;) {
      const deleted = await this.db.transaction(async (tx) =>
        (await retentionRepo.tryLock(tx))
          ? retentionRepo.deleteBatch(tx, epoch, endedBy, batchRows)
          : null,
      );
      if (deleted === null) return false;
      result.deleted += deleted;
      if (deleted < batchRows) return true;
    }
  }

  private async finish(result: RetentionResult): Promise<RetentionResult> {
    if (result.deleted > 0) await retentionRepo.vacuum(this.db);
    return result;
  }
}
