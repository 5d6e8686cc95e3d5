/**
 * GET /v1/admin/stats on PGlite and PostgreSQL: members, reports and contributors from real joins and signed
 * reports; revenue, payouts and snapshots seeded as the revenue watcher, relay and committer store
 * them; the freeze state of roots through a fake chain reader. Only the admin may read it.
 */
/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call --
   Response bodies are loosely typed JSON here on purpose: the assertions (expect) check their shape. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Db } from '../db/db.ts';
import { activityBatchEnd, DEFAULT_ACTIVITY_BATCH_SECONDS } from '../domain/activity-batch.ts';
import { StatsService, type RootReader } from '../services/stats-service.ts';
import {
  CONFIG_CATEGORIES,
  randomWallet,
  signReport,
  testReport,
} from '../test-support/fixtures.ts';
import { client } from '../test-support/http-client.ts';
import {
  dbFactory,
  startTestUnion,
  type DbFactory,
  type Driver,
  type TestUnion,
} from '../test-support/test-union.ts';

function statsSuite(driver: Driver): void {
  describe(`admin stats on ${driver}`, () => {
    let factory: DbFactory | undefined;
    let db: Db;
    let t: TestUnion;

    async function snapshot(block: number, status: string, adminTotal: string, createdAt: Date) {
      await db.query(
        `INSERT INTO monoplasma_snapshots (block_number, root, totals, admin_address, admin_total,
         total_revenue, status, tx_hash, created_at)
       VALUES ($1, $2, '{}'::jsonb, '0xadmin', $3, '1000', $4, $5, $6)`,
        [
          block,
          `0x${String(block).padStart(64, '0')}`,
          adminTotal,
          status,
          `0xtx${block}`,
          createdAt,
        ],
      );
    }

    beforeAll(async () => {
      factory = await dbFactory(driver);
      db = await factory.fresh();
      t = await startTestUnion(db);
      const now = t.clock.now();
      const [a, b] = [await t.activeMember(), await t.activeMember()];
      await t.activeMember(); // active, never reports
      for (const [member, hoursAgo, onlyFirst] of [
        [a, 1, false],
        [b, 1, true],
        [a, 2, false],
      ] as const) {
        const report = testReport(member, t.clock.nowSeconds(), hoursAgo);
        const body = onlyFirst ? { ...report, counts: report.counts.slice(0, 1) } : report;
        const r = await t.call('POST', '/v1/reports', await signReport(member, t.domain, body));
        expect(r.status).toBe(201);
      }
      await db.query(
        `INSERT INTO revenue_transfers (tx_hash, log_index, block_number, sender, amount, processed_at)
       VALUES ('0xr1', 0, 10, '0xm', '600000000000000000000000', $1),
              ('0xr2', 0, 11, '0xm', '400000000000000000000001', $2)`,
        [new Date(now - 2 * 3_600_000), new Date(now)],
      );
      await db.query(
        `INSERT INTO withdrawals (id, member, recipient, amount, block_number, status)
       VALUES ('w1', '0xm', '0xr', '250', 10, 'confirmed'), ('w2', '0xm', '0xr', '5', 10, 'pending')`,
      );
      await snapshot(10, 'committed', '70', new Date(now - 3_600_000));
      await snapshot(12, 'committed', '90', new Date(now));
      await snapshot(13, 'failed', '95', new Date(now));
    }, 120_000);

    afterAll(async () => {
      await t?.close();
      await db?.close();
      await factory?.close();
    });

    describe(`GET /v1/admin/stats on ${driver}`, () => {
      it('refuses anyone without an admin session with 401 UNAUTHENTICATED', async () => {
        const anonymous = await t.call('GET', '/v1/admin/stats');
        expect(anonymous.status).toBe(401);
        expect(anonymous.body.error.code).toBe('UNAUTHENTICATED');
        const madeUp = await client(t.url, { authorization: 'Bearer not-a-session' })(
          'GET',
          '/v1/admin/stats',
        );
        expect(madeUp.status).toBe(401);
        expect(madeUp.body.error.code).toBe('UNAUTHENTICATED');
      });

      it('a wallet that is not the admin cannot sign in to read it (403 NOT_ADMIN)', async () => {
        const stranger = randomWallet();
        const { nonce } = (await t.call('GET', '/v1/admin/nonce')).body;
        const message = t.siweMessage(stranger, nonce);
        const r = await t.call('POST', '/v1/admin/session', {
          message,
          signature: await stranger.signMessage(message),
        });
        expect(r.status).toBe(403);
        expect(r.body.error.code).toBe('NOT_ADMIN');
      });

      it('gives the admin counts, per-epoch figures and amounts as decimal strings', async () => {
        const admin = await t.adminClient();
        const r = await admin('GET', '/v1/admin/stats');
        expect(r.status).toBe(200);
        const s = r.body;
        expect(s.members.byStatus).toEqual({
          pending: 0,
          active: 3,
          left: 0,
          removed: 0,
          rejected: 0,
        });
        // Both reports arrived today: like the accounting, the members count as active from the
        // end of this UTC day (the next test), not yet.
        expect(s.members.active).toBe(0);
        expect(s.reports.total).toBe(3);
        const hour = Math.floor(t.clock.nowSeconds() / 3600) * 3600;
        expect(s.reports.perEpoch).toEqual([
          { epochStart: hour - 7200, reports: 1 },
          { epochStart: hour - 3600, reports: 2 },
        ]);
        const [first, second] = [CONFIG_CATEGORIES[0]!.id, CONFIG_CATEGORIES[1]!.id];
        expect(s.contributors).toEqual(
          [
            { epochStart: hour - 7200, category: first, members: 1 },
            { epochStart: hour - 7200, category: second, members: 1 },
            { epochStart: hour - 3600, category: first, members: 2 },
            { epochStart: hour - 3600, category: second, members: 1 },
          ].sort((x, y) => x.epochStart - y.epochStart || x.category - y.category),
        );
        expect(JSON.stringify(s.contributors)).not.toMatch(/0x[0-9a-f]{40}/i);
        expect(s.revenue.total).toBe('1000000000000000000000001');
        expect(s.revenue.overTime).toHaveLength(2);
        expect(s.payouts).toMatchObject({ total: '250' });
        // The latest committed snapshot's admin total; the failed newer one does not count.
        expect(s.adminFee).toEqual({ total: '90', blockNumber: 12 });
        expect(s.latestRoot).toMatchObject({ blockNumber: 12, state: 'committed', usableAt: null });
        expect(s.commits.map((c: { state: string }) => c.state)).toEqual([
          'committed',
          'committed',
          'failed',
        ]);
        // No chain configured: no committer, no token.
        expect(s.nextCommitAt).toBeNull();
        expect(s.token).toBeNull();
      });
    });

    describe(`the active figure on ${driver}`, () => {
      it('counts a member active as the accounting does: from the end of the UTC day of its report, for the activity window', async () => {
        const window = 7 * 86_400;
        const activeAt = async (ms: number) => {
          const service = new StatsService(
            db,
            { activityWindowSeconds: window, commitPeriodSeconds: null, now: () => ms },
            null,
          );
          return (await service.stats()).members.active;
        };
        const midnight = activityBatchEnd(t.clock.now(), DEFAULT_ACTIVITY_BATCH_SECONDS);
        expect(await activeAt(t.clock.now())).toBe(0);
        expect(await activeAt(midnight - 1)).toBe(0);
        expect(await activeAt(midnight)).toBe(2);
        expect(await activeAt(midnight + window * 1000 - 1)).toBe(2);
        expect(await activeAt(midnight + window * 1000)).toBe(0);
      });
    });

    describe(`StatsService with a chain on ${driver}`, () => {
      it('tells frozen, usable and revoked roots apart and times the next commit', async () => {
        const chainNow = t.clock.nowSeconds();
        const onChain = new Map([
          [10, { usableAt: chainNow - 10, revoked: false }],
          [12, { usableAt: chainNow + 600, revoked: false }],
        ]);
        const asked: number[] = [];
        const reader: RootReader = {
          commitOf: (block) => {
            asked.push(block);
            return Promise.resolve(onChain.get(block) ?? { usableAt: 0, revoked: true });
          },
          now: () => Promise.resolve(chainNow),
          token: () => Promise.resolve({ address: '0xt', symbol: 'DATA', decimals: 18 }),
        };
        const service = new StatsService(
          db,
          { activityWindowSeconds: 7 * 86_400, commitPeriodSeconds: 3600, now: t.clock.now },
          reader,
        );
        const s = await service.stats();
        expect(s.commits.map((c) => c.state)).toEqual(['usable', 'frozen', 'failed']);
        expect(s.latestRoot).toMatchObject({
          blockNumber: 12,
          state: 'frozen',
          usableAt: new Date((chainNow + 600) * 1000).toISOString(),
        });
        expect(s.token).toMatchObject({ symbol: 'DATA', decimals: 18 });
        const next = Date.parse(s.nextCommitAt!);
        expect(next).toBe(t.clock.now() + 3600_000);

        onChain.set(12, { usableAt: chainNow + 600, revoked: true });
        asked.length = 0;
        const revoked = await service.stats();
        expect(revoked.latestRoot).toMatchObject({ blockNumber: 12, state: 'revoked' });
        // The usable root is final and not asked again; the frozen one could change, so it is.
        expect(asked).toEqual([12]);
      });
    });
  });
}

statsSuite('pglite');
statsSuite('postgres');
