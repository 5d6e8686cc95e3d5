/** Active members written straight into `members` (set-up for tests of large unions, not joins). */
import type { Queryable } from '../db/db.ts';

/**
 * `count` active members `0x00…01`, `0x00…02`, … that joined, were last seen and became active
 * at `at` — enough for the Merkle and books code paths that start at a size (e.g.
 * MERKLE_PARALLEL_THRESHOLD) without 20,000 signed joins.
 */
export async function seedActiveMembers(db: Queryable, at: Date, count: number): Promise<void> {
  await db.query(
    `INSERT INTO members (address, status, requested_at, joined_at, status_changed_at, last_report_at, active_from)
     SELECT '0x' || lpad(to_hex(g), 40, '0'), 'active', $1, $1, $1, $1, $1
     FROM generate_series(1, $2::int) AS g`,
    [at, count],
  );
}
