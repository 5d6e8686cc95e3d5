/**
 * Migration 0004 on a database that already holds Monoplasma data: revenue events get their
 * transfer's block, and every older snapshot gets the seq of the last event written before it,
 * so the own validator can replay snapshots committed before the upgrade.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Db } from '../db/db.ts';
import { loadMigrations, migrate } from '../db/migrate.ts';
import { openPglite } from '../db/pglite-driver.ts';

let db: Db;
beforeAll(async () => {
  db = await openPglite({ dataDir: 'memory://' });
}, 120_000);
afterAll(() => db?.close());

describe('migration 0004 (validator)', () => {
  it('backfills the block of revenue events and the event seq of older snapshots', async () => {
    const all = loadMigrations();
    await migrate(db, all.slice(0, 3));
    const tx = '0x' + 'ab'.repeat(32);
    await db.exec(`
      INSERT INTO revenue_transfers (tx_hash, log_index, block_number, sender, amount)
        VALUES ('${tx}', 2, 41, '0x${'11'.repeat(20)}', '500');
      INSERT INTO monoplasma_events (event, created_at) VALUES
        ('{"type":"member-joined","address":"0x${'22'.repeat(20)}","at":1}', now() - interval '3 min'),
        ('{"type":"revenue-received","id":"${tx}:2","amount":"500","at":2}', now() - interval '2 min'),
        ('{"type":"member-left","address":"0x${'22'.repeat(20)}","at":3}', now());
      INSERT INTO monoplasma_snapshots
        (block_number, root, totals, admin_address, admin_total, total_revenue, status, created_at)
        VALUES (41, '0x00', '{}', '0x${'33'.repeat(20)}', '0', '500', 'committed',
          now() - interval '1 min');`);
    await migrate(db, all);

    const events = await db.query<{ seq: number; block_number: number | null }>(
      'SELECT seq, block_number FROM monoplasma_events ORDER BY seq',
    );
    expect(events.rows.map((r) => r.block_number)).toEqual([null, 41, null]);
    const snapshot = await db.query<{ event_seq: number }>(
      'SELECT event_seq FROM monoplasma_snapshots',
    );
    expect(snapshot.rows[0]!.event_seq).toBe(events.rows[1]!.seq);
  });
});
