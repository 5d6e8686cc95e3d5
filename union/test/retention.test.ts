/**
 * Report retention (issue 19): a report is deleted once its epoch is published, the epoch's
 * acceptance window (and the product's grace) has closed and the keep period after publication
 * has passed — never before, never for an epoch that is not published. Runs days of a union on
 * PGlite and PostgreSQL: every day the members report the closed epoch (the real batched
 * insert), due epochs are published (the product job's insert), and the retention job runs; the
 * reports table then holds only the epochs inside the window, and its size stops growing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { optionsFromEnv } from '../config/env.ts';
import { resolveOptions } from '../config/options.ts';

import type { Db } from '../db/db.ts';
import { migrate } from '../db/migrate.ts';
import { ReportRetention } from '../jobs/retention.ts';
import { productRepo } from '../repo/product-repo.ts';
import { reportsRepo, type ReportInsert } from '../repo/reports-repo.ts';
import { insertActiveMember } from '../test-support/chain-fixture.ts';
import { randomWallet } from '../test-support/fixtures.ts';
import { freshPglite } from '../test-support/pglite-template.ts';
import {
  dbFactory,
  startTestUnion,
  type DbFactory,
  type Driver,
} from '../test-support/test-union.ts';

const DAY = 86_400;
const T0 = 1_800_000_000 - (1_800_000_000 % DAY);
const WINDOW = 3 * DAY;
const GRACE = 300;
const KEEP = DAY;
const MEMBERS = 150;
const DAYS = 24;
/** Never published (as an epoch closed before any config: the product job skips it). */
const UNPUBLISHED_EPOCH = T0 + 4 * DAY;

const report = (member: string, epochStart: number): ReportInsert => ({
  member,
  epochStart,
  epochSeconds: DAY,
  configVersion: 1,
  report: JSON.stringify({
    member,
    epochStart,
    epochSeconds: DAY,
    configVersion: 1,
    counts: [
      { category: 289, visits: 12, activeSeconds: 3600 },
      { category: 1, visits: -3, activeSeconds: 812 },
    ],
  }),
  signature: `0x${'ab'.repeat(65)}`,
  digest: `0x${epochStart.toString(16).padStart(64, '0')}`,
});

async function reportsPerEpoch(db: Db): Promise<Map<number, number>> {
  const { rows } = await db.query<{ e: number; n: number }>(
    'SELECT epoch_start AS e, count(*)::int AS n FROM reports GROUP BY 1',
  );
  return new Map(rows.map((r) => [Number(r.e), r.n]));
}

async function reportBytes(db: Db): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT pg_total_relation_size('reports')::float8 AS n`,
  );
  return rows[0]!.n;
}

function retentionSuite(driver: Driver): void {
  describe(`report retention on ${driver}`, () => {
    let factory: DbFactory | undefined;
    let db: Db;
    let members: string[];

    beforeAll(async () => {
      factory = await dbFactory(driver);
      db = await factory.fresh();
      await migrate(db);
      members = Array.from({ length: MEMBERS }, () => randomWallet().address.toLowerCase());
      for (const member of members) await insertActiveMember(db, member, { at: T0 * 1000 });
    }, 120_000);
    afterAll(async () => {
      await db?.close();
      await factory?.close();
    });

    it('keeps only the epochs inside the window and never an unpublished one', async () => {
      const clock = { now: T0 * 1000 };
      const retention = new ReportRetention(db, {
        acceptanceWindowSeconds: WINDOW,
        graceSeconds: GRACE,
        keepSeconds: KEEP,
        batchRows: 7,
        intervalMs: 0,
        now: () => clock.now,
        log: () => undefined,
      });
      const published = new Map<number, number>();
      const sizes: number[] = [];
      for (let day = 1; day <= DAYS; day++) {
        // An hour into the day: yesterday's epoch is reported; due epochs are published.
        const now = T0 + day * DAY + 3600;
        clock.now = now * 1000;
        const epoch = T0 + (day - 1) * DAY;
        const at = new Date(clock.now);
        await reportsRepo.insertBatch(
          db,
          members.map((m) => report(m, epoch)),
          at,
          at,
        );
        for (let e = T0; e + DAY + WINDOW + GRACE < now; e += DAY) {
          if (e === UNPUBLISHED_EPOCH || published.has(e)) continue;
          const epochJson = { epochStart: e, epochSeconds: DAY, rows: [] };
          await productRepo.insert(db, epochJson as never, at);
          published.set(e, now);
        }
        await retention.runNow();
        await retention.runNow(); // idempotent: a second pass changes nothing

        const kept = await reportsPerEpoch(db);
        for (let e = T0; e < T0 + day * DAY; e += DAY) {
          const publishedAt = published.get(e);
          const due =
            publishedAt !== undefined &&
            publishedAt + KEEP <= now &&
            e + DAY + WINDOW + GRACE < now;
          expect({ epoch: (e - T0) / DAY, reports: kept.get(e) ?? 0 }).toEqual({
            epoch: (e - T0) / DAY,
            reports: due ? 0 : MEMBERS,
          });
        }
        sizes.push(await reportBytes(db));
      }
      expect(await reportsPerEpoch(db)).toEqual(
        new Map([
          [UNPUBLISHED_EPOCH, MEMBERS],
          ...[-4, -3, -2, -1].map((d): [number, number] => [T0 + (DAYS + d) * DAY, MEMBERS]),
        ]),
      );
      // Steady state: from the second week the table no longer grows (freed space is reused).
      const settled = sizes.slice(12);
      expect(Math.max(...settled)).toBeLessThanOrEqual(settled[0]! * 1.1);
    }, 180_000);

    it('leaves a published epoch whose acceptance window is still open', async () => {
      const now = T0 + 100 * DAY;
      const epoch = now - DAY - WINDOW; // ended, window still open for GRACE + 1 s
      const at = new Date(now * 1000);
      await reportsRepo.insertBatch(db, [report(members[0]!, epoch)], at, at);
      await productRepo.insert(
        db,
        { epochStart: epoch, epochSeconds: DAY, rows: [] } as never,
        new Date((now - KEEP) * 1000),
      );
      const retention = new ReportRetention(db, {
        acceptanceWindowSeconds: WINDOW,
        graceSeconds: GRACE,
        keepSeconds: KEEP,
        batchRows: 1000,
        intervalMs: 0,
        now: () => now * 1000,
        log: () => undefined,
      });
      await retention.runNow();
      expect((await reportsPerEpoch(db)).get(epoch)).toBe(1);
    });
  });
}

retentionSuite('pglite');
retentionSuite('postgres');

describe('REPORT_KEEP_DAYS', () => {
  const env = {
    CHAIN_ID: '31337',
    DATA_UNION_ADDRESS: `0x${'11'.repeat(20)}`,
    ADMIN_ADDRESS: `0x${'22'.repeat(20)}`,
    OPERATOR_ADDRESS: `0x${'33'.repeat(20)}`,
  };
  const keep = (value?: string) =>
    resolveOptions(optionsFromEnv(value === undefined ? env : { ...env, REPORT_KEEP_DAYS: value }))
      .reportKeepSeconds;

  it('keeps a report a day after publication by default, N days when set, for ever on request', () => {
    expect(keep()).toBe(86_400);
    expect(keep('0')).toBe(0);
    expect(keep('30')).toBe(30 * 86_400);
    expect(keep('forever')).toBeNull();
    expect(() => keep('-1')).toThrow(/REPORT_KEEP_DAYS/);
  });
});

describe('the union server', () => {
  it('runs report retention unless told to keep reports for ever', async () => {
    for (const [reportKeepSeconds, runs] of [
      [undefined, true],
      [null, false],
    ] as const) {
      const db = await freshPglite();
      const t = await startTestUnion(db, reportKeepSeconds === null ? { reportKeepSeconds } : {});
      try {
        expect(t.server.retention !== null).toBe(runs);
        if (t.server.retention)
          expect(await t.server.retention.runNow()).toEqual({ ran: true, deleted: 0, epochs: 0 });
      } finally {
        await t.close();
        await db.close();
      }
    }
  });
});
