/**
 * The per-task advisory lock (transaction scoped) that orders a collection's freeze against the
 * aggregation driver's claims of new reports: a freeze holds it exclusively, a claim shared. A
 * claim therefore either commits its reports (`started`) before the freeze counts them — and the
 * freeze waits for them — or runs after the freeze committed and drops reports of the frozen
 * buckets (`batch_collected`); it never sends the helper a report the frozen request leaves out.
 * Claims do not wait for each other. Creating a collection job takes it exclusively too, so two
 * jobs' overlap checks do not pass each other.
 */
import { Buffer } from 'node:buffer';
import type { Queryable } from '../../../shared-db/db.ts';

export async function lockCollections(
  q: Queryable,
  taskId: Uint8Array,
  mode: 'exclusive' | 'shared',
): Promise<void> {
  const fn = mode === 'exclusive' ? 'pg_advisory_xact_lock' : 'pg_advisory_xact_lock_shared';
  await q.query(`SELECT ${fn}(hashtext($1))`, [
    `collections:${Buffer.from(taskId).toString('hex')}`,
  ]);
}
