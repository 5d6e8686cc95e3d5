/**
 * Group commit for reports. Every report that passed validation waits here; each turn of the
 * event loop, whatever has gathered (up to `maxBatch`) goes to the database as one statement in
 * one transaction, and only when that commit returns is each caller answered. Under load the
 * next group gathers while the previous one commits, so the cost of a commit (a WAL flush) is
 * shared by hundreds of reports while each 2xx still means "durably stored".
 *
 * A key (`member:epochStart`) is never in two in-flight groups at once: a later copy waits for the
 * next group and then finds the first one stored (same digest → duplicate, else conflict).
 */
import { activityBatchEnd, DEFAULT_ACTIVITY_BATCH_SECONDS } from '../domain/activity-batch.ts';
import type { Db } from '../db/db.ts';
import { reportsRepo, type ReportInsert } from '../repo/reports-repo.ts';

export type WriteOutcome = 'inserted' | 'duplicate' | 'conflict' | 'not-member';

interface Waiting {
  row: ReportInsert;
  key: string;
  resolve: (outcome: WriteOutcome) => void;
  reject: (error: unknown) => void;
}

export interface ReportWriterOptions {
  maxBatch: number;
  /** Groups committing at once (1 for PGlite). */
  concurrency: number;
  now: () => number;
  /** Membership activity batch (union/domain/activity-batch.ts); default one UTC day. */
  activityBatchSeconds?: number;
  onCommit?: (rows: number) => void;
}

export class ReportWriter {
  private queue: Waiting[] = [];
  private readonly inFlightKeys = new Set<string>();
  private inFlight = 0;
  private scheduled = false;
  private idle: (() => void)[] = [];

  constructor(
    private readonly db: Db,
    private readonly options: ReportWriterOptions,
  ) {}

  write(row: ReportInsert): Promise<WriteOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, key: `${row.member}:${row.epochStart}`, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once nothing is queued or committing. */
  drain(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled || this.queue.length === 0) return;
    if (this.inFlight >= this.options.concurrency) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.startGroup();
    });
  }

  private startGroup(): void {
    const group: Waiting[] = [];
    const rest: Waiting[] = [];
    const keys = new Set<string>();
    for (const w of this.queue) {
      if (
        group.length < this.options.maxBatch &&
        !keys.has(w.key) &&
        !this.inFlightKeys.has(w.key)
      ) {
        keys.add(w.key);
        group.push(w);
      } else {
        rest.push(w);
      }
    }
    this.queue = rest;
    if (group.length === 0) return;
    this.inFlight++;
    for (const k of keys) this.inFlightKeys.add(k);
    this.commit(group)
      .catch((error: unknown) => {
        for (const w of group) w.reject(error);
      })
      .finally(() => {
        this.inFlight--;
        for (const k of keys) this.inFlightKeys.delete(k);
        this.schedule();
        if (this.queue.length === 0 && this.inFlight === 0) {
          for (const resolve of this.idle.splice(0)) resolve();
        }
      });
    this.schedule();
  }

  private async commit(group: Waiting[]): Promise<void> {
    const now = this.options.now();
    const batch = this.options.activityBatchSeconds ?? DEFAULT_ACTIVITY_BATCH_SECONDS;
    const inserted = await reportsRepo.insertBatch(
      this.db,
      group.map((w) => w.row),
      new Date(now),
      new Date(activityBatchEnd(now, batch)),
    );
    this.options.onCommit?.(inserted.size);
    const refused = group.filter((w) => !inserted.has(w.key));
    const existing =
      refused.length > 0
        ? await reportsRepo.lookup(
            this.db,
            refused.map((w) => w.row),
          )
        : [];
    const byKey = new Map(existing.map((e) => [`${e.member}:${e.epochStart}`, e]));
    for (const w of group) {
      if (inserted.has(w.key)) {
        w.resolve('inserted');
        continue;
      }
      const e = byKey.get(w.key);
      if (e?.digest) w.resolve(e.digest === w.row.digest ? 'duplicate' : 'conflict');
      else w.resolve('not-member');
    }
  }
}
