/**
 * SQL for the own validator's checkpoint (migrations 0009, 0011): one header row (the checked
 * root, log positions, the replayed books without their members) and the replayed members as rows
 * in order of first join. A check after a commit writes the header and only the members its
 * replay changed; the checkpoint only ever moves to the same or a later root (two instances
 * sharing the database may both check).
 */
import {
  checkpointHeader,
  parseCheckpointHeader,
  restoreCheckpoint,
  type ValidatorCheckpoint,
} from '../chain/validator-checkpoint.ts';
import type { Queryable } from '../db/db.ts';
import type { ChangedMember } from '../monoplasma/accounting/monoplasma-accounting.ts';
import type { MemberJson } from '../monoplasma/accounting/state.ts';

/** Members per statement. */
const BATCH = 20_000;

interface MemberRow {
  address: string;
  status: MemberJson[1];
  joined_at: number;
  active: boolean;
  matured: boolean;
  settled: string;
  entry: string;
}

/** Inserts members at their positions, or updates those already stored (position kept). */
async function upsertMembers(tx: Queryable, changed: readonly ChangedMember[]): Promise<void> {
  for (let from = 0; from < changed.length; from += BATCH) {
    const batch = changed.slice(from, from + BATCH);
    const column = <T>(pick: (c: ChangedMember) => T) => batch.map(pick);
    await tx.query(
      `INSERT INTO validator_checkpoint_members
         (address, position, status, joined_at, active, matured, settled, entry)
       SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::bigint[], $5::boolean[],
         $6::boolean[], $7::text[], $8::text[])
       ON CONFLICT (address) DO UPDATE SET status = excluded.status,
         joined_at = excluded.joined_at, active = excluded.active, matured = excluded.matured,
         settled = excluded.settled, entry = excluded.entry`,
      [
        column((c) => c.member[0]),
        // An update keeps the stored position; a placeholder satisfies NOT NULL until then.
        column((c) => c.position ?? -1),
        column((c) => c.member[1]),
        column((c) => c.member[2]),
        column((c) => c.member[3]),
        column((c) => c.member[4]),
        column((c) => c.member[5]),
        column((c) => c.member[6]),
      ],
    );
  }
}

export const validatorCheckpointRepo = {
  /** The stored checkpoint's block, without its state (null: none). */
  async storedBlock(q: Queryable): Promise<number | null> {
    const r = await q.query<{ b: number }>(
      'SELECT block_number AS b FROM validator_checkpoint WHERE id = 1',
    );
    return r.rows[0]?.b ?? null;
  },

  /** The stored checkpoint as live objects, or null (missing, old version, unreadable). */
  async load(q: Queryable): Promise<ValidatorCheckpoint | null> {
    const r = await q.query<{ checkpoint: unknown }>(
      'SELECT checkpoint FROM validator_checkpoint WHERE id = 1',
    );
    const header = parseCheckpointHeader(r.rows[0]?.checkpoint);
    if (!header) return null;
    const rows = await q.query<MemberRow>(
      `SELECT address, status, joined_at, active, matured, settled, entry
       FROM validator_checkpoint_members ORDER BY position`,
    );
    const members = rows.rows.map((m): MemberJson => [
      m.address,
      m.status,
      m.joined_at,
      m.active,
      m.matured,
      m.settled,
      m.entry,
    ]);
    return restoreCheckpoint(header, members);
  },

  /**
   * Stores `checkpoint` unless a checkpoint of a later root is stored. When the stored one is
   * `base` (the checkpoint this run resumed from, whose accounting it moved on), only the
   * members the accounting changed since are written; otherwise every member is rewritten.
   * Takes the accounting's changed members either way. False when nothing was written.
   */
  async save(
    tx: Queryable,
    checkpoint: ValidatorCheckpoint,
    base: number | null,
    at: Date,
  ): Promise<boolean> {
    const changed = checkpoint.accounting.takeChangedMembers();
    const r = await tx.query<{ b: number }>(
      'SELECT block_number AS b FROM validator_checkpoint WHERE id = 1 FOR UPDATE',
    );
    const stored = r.rows[0]?.b ?? null;
    if (stored !== null && stored >= checkpoint.blockNumber && stored !== base) return false;
    if (stored === null || stored !== base) {
      await tx.query('DELETE FROM validator_checkpoint_members');
      const all = checkpoint.accounting.toJSON().members;
      await upsertMembers(
        tx,
        all.map((member, position) => ({ member, position })),
      );
    } else {
      await upsertMembers(tx, changed);
    }
    await tx.query(
      `INSERT INTO validator_checkpoint (id, block_number, checkpoint, saved_at)
       VALUES (1, $1, $2::jsonb, $3)
       ON CONFLICT (id) DO UPDATE SET block_number = $1, checkpoint = $2::jsonb, saved_at = $3`,
      [checkpoint.blockNumber, JSON.stringify(checkpointHeader(checkpoint)), at],
    );
    return true;
  },
};
