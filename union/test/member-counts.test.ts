/**
 * The overview's member figures come from counters (migration 0012) that triggers on `members`
 * keep in the same statement as each change: the overview reads no member row, and the counts
 * equal a scan of `members` — after joins, approvals, leaves, removals, activity stamps of the
 * report insert, bulk loads and deletes, committed concurrently by two union instances (two
 * connection pools on one PostgreSQL), and after the migration's backfill.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Db, Queryable } from '../db/db.ts';
import { loadMigrations, migrate } from '../db/migrate.ts';
import { openPglite } from '../db/pglite-driver.ts';
import { openPostgres } from '../db/postgres-driver.ts';
import { reportsRepo } from '../repo/reports-repo.ts';
import { MembershipService } from '../services/membership-service.ts';
import { StatsService } from '../services/stats-service.ts';
import { randomWallet } from '../test-support/fixtures.ts';
import { startPostgres, type PostgresCluster } from '../test-support/postgres-cluster.ts';
import { freshPglite } from '../test-support/pglite-template.ts';
import { tableReads } from '../test-support/table-reads.ts';

const DAY = 86_400_000;
const T0 = 1_800_000_000_000;
const WINDOW_SECONDS = 7 * 86_400;

const statsAt = (db: Queryable, now: number) =>
  new StatsService(
    db,
    { activityWindowSeconds: WINDOW_SECONDS, commitPeriodSeconds: null, now: () => now },
    null,
  ).stats();

/** The member figures as a scan of `members` gives them (what the overview computed before). */
async function scanned(db: Queryable, now: number) {
  const byStatus = { pending: 0, active: 0, left: 0, removed: 0, rejected: 0 };
  const { rows } = await db.query<{ status: keyof typeof byStatus; n: number }>(
    'SELECT status, count(*)::int AS n FROM members GROUP BY status',
  );
  for (const r of rows) byStatus[r.status] = r.n;
  const active = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM members
     WHERE status = 'active' AND active_from <= $2 AND active_from > $1`,
    [new Date(now - WINDOW_SECONDS * 1000), new Date(now)],
  );
  return { byStatus, active: active.rows[0]!.n, activityWindowSeconds: WINDOW_SECONDS };
}

/** Scans and index reads of `members` made so far in this transaction. */
const memberReads = (tx: Queryable) => tableReads(tx, 'members');

/** A report row for `member` in epoch `day` (what the report insert stamps activity from). */
const reportOf = (member: string, day: number) => ({
  member,
  epochStart: day * 86_400,
  epochSeconds: 86_400,
  configVersion: 1,
  report: JSON.stringify({ counts: [{ category: 1, visits: 1, activeSeconds: 1 }] }),
  signature: '0x',
  digest: `0x${member}${day}`,
});

/**
 * One instance's share of a day: members join (half pending, approved later), report on two
 * days (activity moves forward), some leave, are removed or rejected.
 */
async function instanceDay(db: Db, members: readonly string[], clock: { now: number }) {
  const service = new MembershipService(db, () => clock.now);
  await Promise.all(
    members.map((m, i) =>
      service
        .join(m, undefined, false)
        .then(() => (i % 5 === 4 ? null : service.act(m, 'approve'))),
    ),
  );
  const active = members.filter((_, i) => i % 5 !== 4);
  for (const day of [0, 1]) {
    const at = new Date(T0 + day * DAY);
    const batches = [active.slice(0, 7), active.slice(7)];
    await Promise.all(
      batches.map((batch) =>
        reportsRepo.insertBatch(
          db,
          batch.map((m) => reportOf(m, day)),
          at,
          new Date(T0 + (day + 1) * DAY),
        ),
      ),
    );
  }
  const ends = { 1: 'leave', 2: 'remove', 4: 'reject' } as const;
  await Promise.all(
    members.flatMap((m, i) => {
      const action = ends[(i % 5) as keyof typeof ends] as (typeof ends)[1 | 2 | 4] | undefined;
      return action ? [service.act(m, action)] : [];
    }),
  );
}

function countsSuite(driver: 'pglite' | 'postgres'): void {
  describe(`member counts on ${driver}`, () => {
    let cluster: PostgresCluster | undefined;
    let dbs: Db[] = [];

    beforeAll(async () => {
      if (driver === 'pglite') {
        dbs = [await freshPglite()];
        return;
      }
      cluster = await startPostgres();
      const url = await cluster.createDatabase();
      // Two union instances: two pools on one database.
      dbs = [await openPostgres({ url, poolSize: 4 }), await openPostgres({ url, poolSize: 4 })];
      await migrate(dbs[0]!);
    }, 120_000);
    afterAll(async () => {
      for (const db of dbs) await db.close();
      await cluster?.stop();
    });

    it('the overview reads no member row', async () => {
      const db = dbs[0]!;
      await new MembershipService(db, () => T0).join(randomWallet().address, undefined, false);
      await db.transaction(async (tx) => {
        const before = await memberReads(tx);
        const stats = await statsAt(tx, T0);
        expect(stats.members.byStatus.pending).toBeGreaterThan(0);
        expect(await memberReads(tx)).toBe(before);
      });
    });

    it('stay exact under concurrent changes from every instance', async () => {
      const clock = { now: T0 };
      const groups = dbs.map(() =>
        Array.from({ length: 40 }, () => randomWallet().address.toLowerCase()),
      );
      await Promise.all(dbs.map((db, i) => instanceDay(db, groups[i]!, clock)));
      // A bulk load (as a restore or bench:scale seeds) and a delete go through the triggers too.
      await dbs[0]!.query(
        `INSERT INTO members (address, status, requested_at, joined_at, status_changed_at, active_from)
         SELECT '0x' || lpad(to_hex(g), 40, '0'), 'active', $1, $1, $1, $1
         FROM generate_series(1, 25) AS g`,
        [new Date(T0)],
      );
      await dbs[dbs.length - 1]!.query(
        `DELETE FROM members WHERE address IN ('0x' || lpad(to_hex(3), 40, '0'), '0x' || lpad(to_hex(4), 40, '0'))`,
      );
      for (const now of [T0 + DAY, T0 + 2 * DAY, T0 + 8 * DAY + 1, T0 + 9 * DAY]) {
        const expected = await scanned(dbs[0]!, now);
        expect(expected.byStatus.active).toBeGreaterThan(0);
        for (const db of dbs) expect((await statsAt(db, now)).members).toEqual(expected);
      }
      const late = await scanned(dbs[0]!, T0 + 8 * DAY + 1);
      expect(late.active).toBeLessThan(late.byStatus.active);
    }, 120_000);
  });
}

countsSuite('pglite');
countsSuite('postgres');

describe('migration 0012 (member counts)', () => {
  it('counts the members stored before it', async () => {
    const db = await openPglite({ dataDir: 'memory://' });
    try {
      const all = loadMigrations();
      const mine = all.findIndex((m) => m.name.includes('member-counts'));
      await migrate(db, all.slice(0, mine));
      const service = new MembershipService(db, () => T0);
      const members = Array.from({ length: 9 }, () => randomWallet().address);
      for (const [i, m] of members.entries()) {
        await service.join(m, undefined, false);
        if (i % 3 !== 0) await service.act(m, 'approve');
      }
      await reportsRepo.insertBatch(
        db,
        members.slice(1, 3).map((m) => reportOf(m.toLowerCase(), 0)),
        new Date(T0),
        new Date(T0 + DAY),
      );
      await migrate(db, all);
      const now = T0 + 2 * DAY;
      const expected = await scanned(db, now);
      expect(expected.active).toBe(2);
      expect((await statsAt(db, now)).members).toEqual(expected);
    } finally {
      await db.close();
    }
  }, 120_000);
});
