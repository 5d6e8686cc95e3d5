/**
 * SQL for the own validator's checkpoint (migration 0009): one row, replaced only by a checkpoint
 * of the same or a later root (two instances sharing the database may both check).
 */
import type { Queryable } from '../db/db.ts';

export const validatorCheckpointRepo = {
  async load(q: Queryable): Promise<unknown> {
    const r = await q.query<{ checkpoint: unknown }>(
      'SELECT checkpoint FROM validator_checkpoint WHERE id = 1',
    );
    return r.rows[0]?.checkpoint ?? null;
  },

  async save(q: Queryable, blockNumber: number, checkpoint: unknown, at: Date): Promise<void> {
    await q.query(
      `INSERT INTO validator_checkpoint (id, block_number, checkpoint, saved_at)
       VALUES (1, $1, $2::jsonb, $3)
       ON CONFLICT (id) DO UPDATE SET block_number = $1, checkpoint = $2::jsonb, saved_at = $3
         WHERE validator_checkpoint.block_number <= $1`,
      [blockNumber, JSON.stringify(checkpoint), at],
    );
  },
};
