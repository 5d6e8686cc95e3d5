/**
 * The union as the DAP collector, end to end (issue 17), on one database driver: a union with a
 * plain config, then a config with an aggregation block naming the real leader and helper servers
 * (each on its own database, both checking member signatures against the union's membership log
 * over HTTP). Members' reports are built by the member report builder, uploaded to the leader,
 * aggregated with the helper; the union's product job creates the collection jobs, polls them,
 * opens the Collection and publishes each epoch once, and records the contributions both
 * aggregators finished as members' activity. Every clock is the test's.
 */
import type { Wallet } from 'ethers';
import { Buffer } from 'node:buffer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { memberContributions } from '../../../aggregator/leader/db/sql-contributions.ts';
import type { FreshDb } from '../../../aggregator/test-support/databases.ts';
import type { UnionConfig } from '../../../extension/protocol/config.ts';
import { defaultPrivacy } from '../../../extension/protocol/privacy.ts';
import { collectorFrom } from '../../collector/collector-secrets.ts';
import type { Db } from '../../db/db.ts';
import { dapCollection, releasedNoise } from '../../jobs/dap-collection.ts';
import {
  decodeCsv,
  decodeNdjson,
  encodeRows,
  productTable,
  publicSample,
  type ProductRow,
} from '../../product/index.ts';
import { roundTo } from '../../product/rounding.ts';
import { dapRepo } from '../../repo/dap-repo.ts';
import {
  newTestCollector,
  startDapAggregators,
  type DapAggregators,
} from '../../test-support/dap-aggregators.ts';
import { signConfig, signReport, testConfig, testReport } from '../../test-support/fixtures.ts';
import { testClock } from '../../test-support/test-clock.ts';
import { startTestUnion, type TestUnion } from '../../test-support/test-union.ts';

const DAY = 86_400;
const WINDOW = 7 * DAY;
const GRACE = 300;
const K = 3;

/** Per member: [flag, visits, active minutes] for each of the config's three categories. */
export const MEASUREMENTS = [
  [1, 10, 30, 1, 5, 2, 0, 0, 0],
  [1, 20, 60, 1, 3, 1, 0, 0, 0],
  [1, 7, 15, 0, 0, 0, 0, 0, 0],
  [1, 50, 240, 0, 0, 0, 0, 0, 0],
];
export const sum = (entry: number) => MEASUREMENTS.reduce((s, m) => s + m[entry]!, 0);

export interface World {
  t: TestUnion;
  db: Db;
  aggregators: DapAggregators;
  members: Wallet[];
  configs: UnionConfig[];
  collector: Awaited<ReturnType<typeof newTestCollector>>;
  /** The day the configs were issued and members joined; E is the next one. */
  d0: number;
  e: number;
  close(): Promise<void>;
}

export interface WorldOptions {
  readonly freshUnionDb: () => Promise<Db>;
  readonly freshRoleDb: FreshDb;
  /** The aggregators' central ε (null: no noise, the sums exact); the config declares 1 then. */
  readonly centralEpsilon: number | null;
  readonly noiseSeeds?: { readonly leader: number; readonly helper: number };
}

/**
 * A union (plain config v1 issued three days before, then v2 with the aggregation block issued
 * on day d0), four active members, and both aggregators.
 */
export async function startDapWorld(options: WorldOptions): Promise<World> {
  const clock = testClock();
  const db = await options.freshUnionDb();
  const collector = await newTestCollector();
  const t = await startTestUnion(
    db,
    {
      clock,
      productIntervalMs: 0,
      productGraceSeconds: GRACE,
      acceptanceWindowSeconds: WINDOW,
      collector: collector.secrets,
    },
    false,
  );
  const t0 = clock.nowSeconds();
  const d0 = Math.floor(t0 / DAY) * DAY;
  const admin = await t.adminClient();
  const plain = testConfig(1, {
    issuedAt: t0 - 3 * DAY,
    epochSeconds: DAY,
    privacy: { ...defaultPrivacy, kThreshold: K },
  });
  const publish = async (config: UnionConfig) => {
    const res = await admin('PUT', '/v1/admin/config', await signConfig(t.admin, t.domain, config));
    if (res.status !== 201) throw new Error(`config ${config.version} refused: ${res.text}`);
  };
  await publish(plain);
  const members = [];
  for (let i = 0; i < MEASUREMENTS.length; i++) members.push(await t.activeMember());
  const aggregators = await startDapAggregators({
    fresh: options.freshRoleDb,
    config: plain,
    unionUrl: t.url,
    domain: t.domain,
    now: clock.nowSeconds,
    centralEpsilon: options.centralEpsilon,
    ...(options.noiseSeeds ? { noiseSeeds: options.noiseSeeds } : {}),
    collector,
  });
  const dap: UnionConfig = {
    ...plain,
    version: 2,
    issuedAt: t0,
    aggregation: aggregators.block(plain, options.centralEpsilon ?? 1),
  };
  await publish(dap);
  return {
    t,
    db,
    aggregators,
    members,
    configs: [plain, dap],
    collector,
    d0,
    e: d0 + DAY,
    async close() {
      await aggregators.close();
      await t.close();
      await db.close();
    },
  };
}

/** Every member's measurement for `epoch`, uploaded to the leader and aggregated with the helper. */
export async function reportEpoch(w: World, epoch: number): Promise<void> {
  for (const [i, member] of w.members.entries()) {
    expect(await w.aggregators.upload(MEASUREMENTS[i]!, epoch + 60, member)).toBe(200);
  }
  await w.aggregators.runLeader();
}

/**
 * Moves the clock to when `epoch` is due, runs the union's product job (which creates the jobs),
 * the leader (which collects), and the product job again after the first poll back-off.
 */
export async function collectThrough(w: World, epoch: number) {
  w.t.clock.set(dueAt(epoch) * 1000);
  const first = await w.t.server.product.aggregateNow();
  await w.aggregators.runLeader();
  w.t.clock.advance(60_000);
  return [...first, ...(await w.t.server.product.aggregateNow())];
}

export async function productRows(w: World, epochStart: number): Promise<ProductRow[]> {
  const rows: ProductRow[] = [];
  for await (const row of w.t.server.product.rows({ from: epochStart, to: epochStart + 1 })) {
    rows.push(row);
  }
  return rows;
}

const dueAt = (epochStart: number) => epochStart + DAY + WINDOW + GRACE + 2;

export function dapProductSuite(freshUnionDb: () => Promise<Db>, freshRoleDb: FreshDb): void {
  let w: World;
  const rowsOf = (epochStart: number) => productRows(w, epochStart);
  const setClock = (seconds: number) => w.t.clock.set(seconds * 1000);

  beforeAll(async () => {
    w = await startDapWorld({ freshUnionDb, freshRoleDb, centralEpsilon: null });
  }, 120_000);

  afterAll(() => w.close());

  describe('the union as the DAP collector', () => {
    it('refuses a plain signed report for an epoch under the aggregation block (REPORT_AGGREGATION_REQUIRED), whichever version it names', async () => {
      setClock(w.e + DAY + 3600);
      const member = w.members[0]!;
      for (const configVersion of [1, 2]) {
        const report = testReport(member, w.t.clock.nowSeconds(), 0, {
          epochStart: w.e,
          epochSeconds: DAY,
          configVersion,
        });
        const res = await w.t.call(
          'POST',
          '/v1/reports',
          await signReport(member, w.t.domain, report),
        );
        expect(res.status).toBe(422);
        expect(res.body).toMatchObject({
          error: {
            code: 'REPORT_AGGREGATION_REQUIRED',
            message: expect.stringMatching(/private aggregation since config version 2/) as unknown,
          },
        });
      }
      expect((await w.db.query('SELECT 1 FROM reports')).rows).toHaveLength(0);
      // An epoch that closed before the block was issued stays plain: its report is taken.
      const before = testReport(member, w.t.clock.nowSeconds(), 0, {
        epochStart: w.d0 - DAY,
        epochSeconds: DAY,
        configVersion: 1,
      });
      const taken = await w.t.call(
        'POST',
        '/v1/reports',
        await signReport(member, w.t.domain, before),
      );
      expect(taken.status).toBe(201);
    });

    it('collects each epoch once its window closed and publishes the exact sums (noise off) with the calibration’s standard errors, suppressing a category below k and a batch below k', async () => {
      setClock(w.e + DAY + 3600);
      await reportEpoch(w, w.e);

      setClock(dueAt(w.e));
      // The first pass publishes the plain epoch before the block (from its plain report) and
      // creates the jobs of the day the block was issued (no reports) and of E; the leader has
      // not run them yet.
      const plain = await w.t.server.product.aggregateNow();
      expect(plain.map((p) => p.epochStart)).toEqual([w.d0 - DAY]);
      expect(new Set((await rowsOf(w.d0 - DAY)).map((r) => r.mode))).toEqual(new Set(['plain']));
      const jobs = await dapRepo.collections(w.db);
      expect(jobs.map((j) => [j.epochStart, j.state])).toEqual([
        [w.d0, 'polling'],
        [w.e, 'polling'],
      ]);
      await w.aggregators.runLeader();
      // Polled again only after the back-off.
      expect(await w.t.server.product.aggregateNow()).toEqual([]);
      w.t.clock.advance(60_000);
      const heard: { epoch: number; modes: string[] }[] = [];
      const unsubscribe = w.t.server.product.onPublished(({ epoch, rows }) =>
        heard.push({ epoch: epoch.epochStart, modes: rows.map((r) => r.mode) }),
      );
      const published = await w.t.server.product.aggregateNow();
      unsubscribe();
      expect(published.map((p) => [p.epochStart, p.mode])).toEqual([
        [w.d0, 'dap'],
        [w.e, 'dap'],
      ]);
      // The live feed (SSE) hears each epoch once, its rows marked dap.
      expect(heard).toEqual([
        { epoch: w.d0, modes: ['dap', 'dap', 'dap'] },
        { epoch: w.e, modes: ['dap', 'dap', 'dap'] },
      ]);
      const ended = await dapRepo.collections(w.db);
      expect(ended.map((j) => [j.epochStart, j.state, j.problem])).toEqual([
        [w.d0, 'published', 'invalidBatchSize'],
        [w.e, 'published', null],
      ]);

      const [a, b, c] = w.configs[0]!.categories;
      expect(await rowsOf(w.d0)).toEqual(
        [a, b, c].map(
          (cat) =>
            expect.objectContaining({
              category_id: cat!.id,
              mode: 'dap',
              suppressed: true,
            }) as unknown,
        ),
      );
      const noise = releasedNoise(w.configs[1]!);
      const rows = await rowsOf(w.e);
      expect(rows).toHaveLength(3);
      expect(rows[0]).toMatchObject({
        category_id: a!.id,
        mode: 'dap',
        suppressed: false,
        k_threshold: K,
        contributors: 4,
        reporting_members: 4,
        share_contributing: 1,
        visits_clip: 50,
        visits_total: sum(1),
        visits_total_se: roundTo(Math.sqrt(noise.visits), 2),
        visits_mean: roundTo(sum(1) / 4, 2),
        active_seconds_clip: 14_400,
        active_seconds_total: 60 * sum(2),
        active_seconds_total_se: roundTo(60 * Math.sqrt(noise.activeMinutes), 2),
      });
      // Two contributors to b (below k = 3), none to c: suppressed, no number at all.
      expect(rows.slice(1)).toEqual([
        { ...rows[1], category_id: b!.id, suppressed: true, mode: 'dap' },
        { ...rows[2], category_id: c!.id, suppressed: true, mode: 'dap' },
      ]);
      expect(Object.keys(rows[1]!).sort()).toEqual(
        [
          'category_id',
          'category_key',
          'epoch_seconds',
          'epoch_start',
          'mode',
          'suppressed',
        ].sort(),
      );
      // The exports carry the rows as published, and the public sample rolls them up.
      for (const format of ['csv', 'ndjson'] as const) {
        const bytes: Uint8Array[] = [];
        for await (const chunk of encodeRows(format, rows, productTable)) bytes.push(chunk);
        const text = Buffer.concat(bytes).toString('utf8');
        expect((format === 'csv' ? decodeCsv : decodeNdjson)(text, productTable)).toEqual(rows);
      }
      const sample = await publicSample(rows, { period: 'month', cutoff: Number.MAX_SAFE_INTEGER });
      expect(sample).toEqual([
        expect.objectContaining({ category_id: a!.id, visits_total: sum(1) }) as unknown,
      ]);

      // Nothing is published twice, however often the job runs.
      w.t.clock.advance(3_600_000);
      expect(await w.t.server.product.aggregateNow()).toEqual([]);
      const { rows: stored } = await w.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM product_epochs',
      );
      expect(stored[0]!.n).toBe(3);
    });

    it('records each contribution both aggregators finished once, as its member’s activity', async () => {
      const finished = await memberContributions(
        w.aggregators.leaderDb,
        w.aggregators.taskId,
        0,
        Number.MAX_SAFE_INTEGER,
      );
      expect(finished).toHaveLength(MEASUREMENTS.length);
      const recorded = await dapRepo.contributions(w.db);
      expect(recorded).toEqual(finished);
      const { rows } = await w.db.query<{ address: string; active_from: Date | string | null }>(
        'SELECT address, active_from FROM members ORDER BY address',
      );
      expect(rows.map((r) => r.address)).toEqual(finished.map((f) => f.member).sort());
      for (const r of rows) expect(r.active_from).not.toBeNull();
      // Again, after the cursor moved past the collected epochs: nothing recorded twice.
      w.t.clock.advance(3_600_000);
      await w.t.server.product.aggregateNow();
      expect(await dapRepo.contributions(w.db)).toEqual(finished);
    });

    it('publishes an epoch once when the collector crashes between opening the Collection and publishing', async () => {
      const next = w.e + DAY;
      await reportEpoch(w, next);
      setClock(dueAt(next));
      let crashes = 1;
      const collection = dapCollection({
        db: w.db,
        collector: collectorFrom(w.collector.secrets),
        fetch: (input, init) => fetch(input, init),
        pollSeconds: 60,
        maxPollSeconds: 3600,
        log: () => undefined,
        beforePublish: () => {
          if (crashes-- > 0) return Promise.reject(new Error('killed before publishing'));
          return Promise.resolve();
        },
      });
      const cutoff = next + DAY;
      const pass = () => collection.collect(w.t.clock.now(), w.configs, cutoff);
      expect(await pass()).toEqual([]);
      await w.aggregators.runLeader();
      w.t.clock.advance(60_000);
      await expect(pass()).rejects.toThrow('killed before publishing');
      expect(await rowsOf(next)).toEqual([]);
      const published = await pass();
      expect(published.map((p) => p.epochStart)).toEqual([next]);
      expect(await pass()).toEqual([]);
      const rows = await rowsOf(next);
      expect(rows[0]).toMatchObject({ visits_total: sum(1), active_seconds_total: 60 * sum(2) });
      const { rows: count } = await w.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM product_epochs WHERE epoch_start = $1',
        [next],
      );
      expect(count[0]!.n).toBe(1);
    });

    it('serves the contributions to the collector token only, a page at a time in a stable order', async () => {
      const url = (query: string) =>
        `${w.configs[1]!.aggregation!.leaderUrl}internal/tasks/${w.configs[1]!.aggregation!.taskId}/contributions?${query}`;
      const wrong = await fetch(url('from=0&to=99999999999'), {
        headers: { 'dap-auth-token': 'not-the-collector-token' },
      });
      expect(wrong.status).toBe(403);
      const headers = { 'dap-auth-token': w.collector.token };
      const all = (await (await fetch(url('from=0&to=99999999999'), { headers })).json()) as {
        contributions: { member: string; epoch: number }[];
        next: string | null;
      };
      expect(all.next).toBeNull();
      expect(all.contributions).toHaveLength(2 * MEASUREMENTS.length);
      const first = all.contributions[0]!;
      const rest = (await (
        await fetch(url(`from=0&to=99999999999&after=${first.epoch}:${first.member}`), { headers })
      ).json()) as { contributions: unknown[] };
      expect(rest.contributions).toEqual(all.contributions.slice(1));
      const bad = await fetch(url('from=x&to=1'), { headers });
      expect(bad.status).toBe(400);
    });
    it('publishes an epoch once when two union instances collect it at the same time', async () => {
      const third = w.e + 2 * DAY;
      await reportEpoch(w, third);
      setClock(dueAt(third));
      const instance = () =>
        dapCollection({
          db: w.db,
          collector: collectorFrom(w.collector.secrets),
          fetch: (input, init) => fetch(input, init),
          pollSeconds: 60,
          maxPollSeconds: 3600,
          log: () => undefined,
        });
      const [one, two] = [instance(), instance()];
      const cutoff = third + DAY;
      const both = () =>
        Promise.all([one, two].map((c) => c.collect(w.t.clock.now(), w.configs, cutoff)));
      expect((await both()).flat()).toEqual([]);
      await w.aggregators.runLeader();
      w.t.clock.advance(60_000);
      const published = (await both()).flat();
      expect(published.map((p) => p.epochStart)).toEqual([third]);
      const { rows } = await w.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM product_epochs WHERE epoch_start = $1',
        [third],
      );
      expect(rows[0]!.n).toBe(1);
      expect(await rowsOf(third)).toHaveLength(3);
    });
  });
}
