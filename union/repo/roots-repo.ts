/**
 * SQL for finding usable roots among the committed snapshots (migration 0005): each committed
 * root's `usable_at` (read from the chain once) and whether it was revoked, indexed so the
 * newest usable root is one index probe however many roots were committed.
 */
import type { Queryable } from '../db/db.ts';

/** A committed root that is not known to be revoked. */
export interface RootTiming {
  blockNumber: number;
  usableAt: number;
}

const live = `status = 'committed' AND NOT revoked`;

export const rootsRepo = {
  /** Committed roots whose usable time was not read yet, newest first. */
  async untimed(q: Queryable): Promise<number[]> {
    const r = await q.query<{ b: number }>(
      `SELECT block_number AS b FROM monoplasma_snapshots
       WHERE ${live} AND usable_at IS NULL ORDER BY block_number DESC`,
    );
    return r.rows.map((row) => row.b);
  },

  async setTiming(q: Queryable, block: number, usableAt: number, revoked: boolean) {
    await q.query(
      'UPDATE monoplasma_snapshots SET usable_at = $2, revoked = $3 WHERE block_number = $1',
      [block, usableAt, revoked],
    );
  },

  /** Gives every untimed committed root up to `block` the same (upper bound of its) usable time. */
  async setTimingUpTo(q: Queryable, block: number, usableAt: number) {
    await q.query(
      `UPDATE monoplasma_snapshots SET usable_at = $2
       WHERE ${live} AND usable_at IS NULL AND block_number <= $1`,
      [block, usableAt],
    );
  },

  async markRevoked(q: Queryable, block: number) {
    await q.query('UPDATE monoplasma_snapshots SET revoked = true WHERE block_number = $1', [
      block,
    ]);
  },

  /** The newest root usable at `nowS` (unix seconds). */
  async newestUsable(q: Queryable, nowS: number): Promise<RootTiming | null> {
    const r = await q.query<RootTiming>(
      `SELECT block_number AS "blockNumber", usable_at AS "usableAt" FROM monoplasma_snapshots
       WHERE ${live} AND usable_at <= $1 ORDER BY usable_at DESC, block_number DESC LIMIT 1`,
      [nowS],
    );
    return r.rows[0] ?? null;
  },

  /** The root that becomes usable next after `nowS`. */
  async nextFrozen(q: Queryable, nowS: number): Promise<RootTiming | null> {
    const r = await q.query<RootTiming>(
      `SELECT block_number AS "blockNumber", usable_at AS "usableAt" FROM monoplasma_snapshots
       WHERE ${live} AND usable_at > $1 ORDER BY usable_at, block_number LIMIT 1`,
      [nowS],
    );
    return r.rows[0] ?? null;
  },
};
