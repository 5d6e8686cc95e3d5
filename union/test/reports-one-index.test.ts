/**
 * Migration 0013: `reports` keeps one index, its primary key led by the epoch, and no foreign key
 * to `members` (a per-row referential check the insert's own join with the active member made
 * redundant; bench:ingest: PostgreSQL CPU per report 24–25 → 17–18 µs). On PGlite and
 * PostgreSQL: the shape, and that an upgraded table keeps its rows and the insert's rules — one
 * report per member and epoch, none from a non-member or a member who left.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Db } from '../db/db.ts';
import { loadMigrations, migrate } from '../db/migrate.ts';
import { openPglite } from '../db/pglite-driver.ts';
import { openPostgres } from '../db/postgres-driver.ts';
import { reportsRepo, type ReportInsert } from '../repo/reports-repo.ts';
import { startPostgres, type PostgresCluster } from '../test-support/postgres-cluster.ts';

const address = (n: number) => `0x${n.toString(16).padStart(40, '0')}`;
const EPOCH = 1_765_000_800;
const report = (member: string, epochStart: number, visits = 1): ReportInsert => ({
  member,
  epochStart,
  epochSeconds: 3600,
  configVersion: 1,
  report: JSON.stringify({ counts: [{ activeSeconds: 60, category: 3, visits }] }),
  signature: `0x${'11'.repeat(65)}`,
  digest: `0x${visits.toString(16).padStart(64, '0')}`,
});

function suite(name: string, open: () => Promise<{ db: Db; close: () => Promise<void> }>) {
  describe(`reports after migration 0013 on ${name}`, () => {
    let db: Db;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ db, close } = await open());
      const all = loadMigrations();
      const upTo = all.findIndex((m) => m.name === 'reports-one-index');
      expect(upTo).toBeGreaterThan(0);
      await migrate(db, all.slice(0, upTo));
      await db.query(
        `INSERT INTO members (address, status, requested_at, joined_at, status_changed_at)
         SELECT a, s, now(), now(), now()
         FROM unnest($1::text[], $2::text[]) AS u(a, s)`,
        [
          [address(1), address(2), address(3)],
          ['active', 'active', 'left'],
        ],
      );
      const at = new Date('2026-12-06T12:00:00Z');
      const before = await reportsRepo.insertBatch(
        db,
        [report(address(1), EPOCH), report(address(2), EPOCH), report(address(1), EPOCH + 3600)],
        at,
        at,
      );
      expect(before.size).toBe(3);
      await migrate(db, all);
    }, 120_000);
    afterAll(() => close?.());

    it('has one index, the primary key (epoch_start, member), and no foreign key', async () => {
      const indexes = await db.query<{ name: string; def: string }>(
        `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE tablename = 'reports'`,
      );
      expect(indexes.rows).toHaveLength(1);
      expect(indexes.rows[0]!.def).toMatch(/UNIQUE INDEX reports_pkey .*\(epoch_start, member\)/);
      const foreign = await db.query(
        `SELECT conname FROM pg_constraint
         WHERE conrelid = 'reports'::regclass AND contype = 'f'`,
      );
      expect(foreign.rows).toEqual([]);
    });

    it('keeps the rows and the insert rules: one per member and epoch, members only', async () => {
      const at = new Date('2026-12-06T13:00:00Z');
      const inserted = await reportsRepo.insertBatch(
        db,
        [
          report(address(1), EPOCH, 2), // second report for a taken epoch
          report(address(2), EPOCH + 3600),
          report(address(3), EPOCH), // left
          report(address(9), EPOCH), // never joined
        ],
        at,
        at,
      );
      expect([...inserted]).toEqual([`${address(2)}:${EPOCH + 3600}`]);
      const rows = await db.query<{ member: string; epoch_start: number; digest: string }>(
        'SELECT member, epoch_start, digest FROM reports ORDER BY epoch_start, member',
      );
      expect(rows.rows).toEqual([
        { member: address(1), epoch_start: EPOCH, digest: report(address(1), EPOCH).digest },
        { member: address(2), epoch_start: EPOCH, digest: report(address(2), EPOCH).digest },
        { member: address(1), epoch_start: EPOCH + 3600, digest: report(address(1), 0).digest },
        { member: address(2), epoch_start: EPOCH + 3600, digest: report(address(2), 0).digest },
      ]);
    });
  });
}

suite('PGlite', async () => {
  const db = await openPglite({ dataDir: 'memory://' });
  return { db, close: () => db.close() };
});

let cluster: PostgresCluster | undefined;
suite('PostgreSQL', async () => {
  cluster = await startPostgres();
  const db = await openPostgres({ url: await cluster.createDatabase('reports_one_index') });
  return {
    db,
    async close() {
      await db.close();
      await cluster?.stop();
    },
  };
});
