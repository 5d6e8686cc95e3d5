/**
 * What the leader's and the helper's retention share (each role's rules and SQL are its own
 * `retention*.ts`): delete in bounded batches, each its own short transaction holding the role's
 * retention lock, so a pass never holds a long transaction, a crash loses at most one uncommitted
 * batch, and instances sharing one PostgreSQL database do not delete side by side; then make the
 * freed space reusable (PGlite runs no autovacuum). Run on a timer by `startRetentionTimer`.
 */
import type { Db, Queryable } from '../../shared-db/db.ts';

/** Rows per transaction, unless a pass asks otherwise. */
export const RETENTION_BATCH_ROWS = 1000;

/** Deletes at most `limit` rows; returns how many it deleted. */
export type RetentionStep = (tx: Queryable, limit: number) => Promise<number>;

export interface RetentionRun {
  /** False when another instance held the lock (nothing was done). */
  readonly ran: boolean;
  /** Rows each step deleted, in order. */
  readonly deleted: readonly number[];
}

/**
 * Runs each step batch by batch until it deletes fewer than `batchRows`; the steps run in order
 * (rows that others reference go first). VACUUMs `tables` when anything was deleted.
 */
export async function runRetentionSteps(
  db: Db,
  lock: number,
  batchRows: number,
  steps: readonly RetentionStep[],
  tables: readonly string[],
): Promise<RetentionRun> {
  const deleted: number[] = [];
  for (const step of steps) {
    let total = 0;
    for (;;) {
      const n = await db.transaction(async (tx) => {
        const { rows } = await tx.query<{ ok: boolean }>(
          'SELECT pg_try_advisory_xact_lock($1) AS ok',
          [lock],
        );
        return rows[0]?.ok === true ? step(tx, batchRows) : null;
      });
      if (n === null) return { ran: false, deleted };
      total += n;
      if (n < batchRows) break;
    }
    deleted.push(total);
  }
  if (deleted.some((n) => n > 0)) {
    for (const table of tables) await db.query(`VACUUM ${table}`);
  }
  return { ran: true, deleted };
}

/** Runs `pass` now and every `intervalMs` (a pass never overlaps the previous one) until stopped. */
export function startRetentionTimer(
  pass: () => Promise<unknown>,
  intervalMs: number,
  log: (line: string) => void,
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = running
      .then(() => (stopped ? undefined : pass()))
      .catch((error: unknown) => log(`retention pass failed: ${String(error)}`));
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
