/**
 * The overview's report figures from the summaries the report insert maintains (migration 0009)
 * equal what the former query computed from the reports themselves: on PGlite and PostgreSQL, with
 * reports inserted by the real batched insert (several batches, more than 30 epochs, refused
 * duplicates and non-members, concurrent groups on PostgreSQL), and after the migration's backfill
 * of reports stored before it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Db, Queryable } from '../db/db.ts';
import { loadMigrations, migrate } from '../db/migrate.ts';
import { openPglite } from '../db/pglite-driver.ts';
import { reportsRepo, type ReportInsert } from '../repo/reports-repo.ts';
import { RECENT_EPOCHS, StatsService } from '../services/stats-service.ts';
import { insertActiveMember } from '../test-support/chain-fixture.ts';
import { randomWallet } from '../test-support/fixtures.ts';
import { dbFactory, type DbFactory, type Driver } from '../test-support/test-union.ts';

const EPOCH = 86_400;
const T0 = 1_800_000_000_000;
const MEMBERS = 12;
const EPOCHS = RECENT_EPOCHS + 4;

/** The figures as the overview computed them before the summaries (reading every report). */
async function fromReports(db: Queryable) {
  const total = await db.query<{ n: number }>('SELECT count(*)::float8 AS n FROM reports');
  const perEpoch = await db.query<{ epochStart: number; reports: number }>(
    `SELECT epoch_start::float8 AS "epochStart", count(*)::int AS reports FROM reports
     GROUP BY epoch_start ORDER BY epoch_start DESC LIMIT $1`,
    [RECENT_EPOCHS],
  );
  const contributors = await db.query<{ epochStart: number; category: number; members: number }>(
    `WITH recent AS (
       SELECT DISTINCT epoch_start FROM reports ORDER BY epoch_start DESC LIMIT $1
     )
     SELECT r.epoch_start::float8 AS "epochStart", (c ->> 'category')::int AS category,
       count(DISTINCT r.member)::int AS members
     FROM reports r JOIN recent USING (epoch_start),
       jsonb_array_elements((r.report::jsonb) -> 'counts') AS c
     GROUP BY 1, 2 ORDER BY 1, 2`,
    [RECENT_EPOCHS],
  );
  return {
    reports: { total: total.rows[0]!.n, perEpoch: perEpoch.rows.reverse() },
    contributors: contributors.rows,
  };
}

async function fromSummaries(db: Queryable) {
  const stats = await new StatsService(
    db,
    { activityWindowSeconds: 7 * EPOCH, commitPeriodSeconds: null, now: () => T0 },
    null,
  ).stats();
  return { reports: stats.reports, contributors: stats.contributors };
}

/** A report of `member` for epoch `e`: categories vary with both, one repeats, some are empty. */
function report(member: string, m: number, e: number): ReportInsert {
  const categories = [1 + ((m + e) % 5), 1 + ((m * e) % 7), 1 + ((m + e) % 5)].slice(
    0,
    (m + e) % 4,
  );
  return {
    member,
    epochStart: e * EPOCH,
    epochSeconds: EPOCH,
    configVersion: 1,
    report: JSON.stringify({
      epochStart: e * EPOCH,
      counts: categories.map((category) => ({ category, visits: 1, activeSeconds: 60 })),
    }),
    signature: '0x',
    digest: `0x${m}-${e}`,
  };
}

async function addMembers(db: Db): Promise<string[]> {
  const members = Array.from({ length: MEMBERS }, () => randomWallet().address.toLowerCase());
  for (const member of members) await insertActiveMember(db, member, { at: T0 });
  return members;
}

function summarySuite(driver: Driver): void {
  describe(`report summaries on ${driver}`, () => {
    let factory: DbFactory | undefined;
    let db: Db;

    beforeAll(async () => {
      factory = await dbFactory(driver);
      db = await factory.fresh();
      await migrate(db); // a fresh PostgreSQL database is empty; PGlite's comes migrated
    }, 120_000);
    afterAll(async () => {
      await db?.close();
      await factory?.close();
    });

    it('give the figures the reports give, batch after batch', async () => {
      const members = await addMembers(db);
      const outsider = randomWallet().address.toLowerCase();
      const rows = members.flatMap((member, m) =>
        Array.from({ length: EPOCHS }, (_, e) => report(member, m, e)).filter(
          (_, e) => (m + e) % 3 !== 0,
        ),
      );
      const at = new Date(T0);
      // Groups of 7 committed two at a time (on PostgreSQL: two connections, two shards).
      for (let i = 0; i < rows.length; i += 14) {
        await Promise.all([
          reportsRepo.insertBatch(db, rows.slice(i, i + 7), at, at),
          reportsRepo.insertBatch(db, rows.slice(i + 7, i + 14), at, at),
        ]);
      }
      // Refused: the same keys again (other content) and a non-member.
      const again = rows.slice(0, 20).map((r) => ({ ...r, digest: '0xother' }));
      expect((await reportsRepo.insertBatch(db, again, at, at)).size).toBe(0);
      expect((await reportsRepo.insertBatch(db, [report(outsider, 1, 2)], at, at)).size).toBe(0);

      const expected = await fromReports(db);
      expect(expected.reports.total).toBe(rows.length);
      expect(expected.reports.perEpoch).toHaveLength(RECENT_EPOCHS);
      expect(expected.contributors.length).toBeGreaterThan(RECENT_EPOCHS);
      expect(await fromSummaries(db)).toEqual(expected);
    });
  });
}

summarySuite('pglite');
summarySuite('postgres');

describe('migration 0009 (report summaries)', () => {
  it('backfills the summaries from the reports stored before it', async () => {
    const db = await openPglite({ dataDir: 'memory://' });
    try {
      const all = loadMigrations();
      const mine = all.findIndex((m) => m.name.includes('report-summaries'));
      await migrate(db, all.slice(0, mine));
      const members = await addMembers(db);
      // As the insert wrote them before the summaries existed.
      for (const [m, member] of members.entries()) {
        for (let e = 0; e < EPOCHS; e += 1 + (m % 2)) {
          const r = report(member, m, e);
          await db.query(
            `INSERT INTO reports (member, epoch_start, epoch_seconds, config_version, report, signature, digest)
             VALUES ($1, $2, $3, 1, $4, '0x', $5)`,
            [r.member, r.epochStart, r.epochSeconds, r.report, r.digest],
          );
        }
      }
      await migrate(db, all);
      const expected = await fromReports(db);
      expect(expected.reports.total).toBeGreaterThan(MEMBERS * (EPOCHS / 2));
      expect(await fromSummaries(db)).toEqual(expected);
    } finally {
      await db.close();
    }
  }, 120_000);
});
