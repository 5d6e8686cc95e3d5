/**
 * One report per member per epoch, checked by both aggregators (tasks requiring member signatures),
 * over the leader's upload route, its driver and the helper server over HTTP, each on its own
 * database (PGlite in member-signatures.test.ts, PostgreSQL in member-signatures.postgres.test.ts).
 * Real secp256k1 signatures (ethers wallets), real HPKE, real Prio3. Refused and counted nowhere:
 * an unsigned upload (ours, or the real `@divviup/dap` client's), one signed by a non-member (or a member not yet joined at the report's time),
 * a signature over another report id, task or public share, a member's second report for an epoch
 * — the last also when the leader is patched to accept it: the helper refuses it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { memberSignatureExtension, sealReport, shardMeasurement } from '../client/member-report.ts';
import { aggregationDriver } from '../leader/aggregation-driver.ts';
import { memberContributions } from '../leader/db/sql-contributions.ts';
import { MembershipUnavailable, memoryMembership } from '../membership/membership-source.ts';
import { sumVecFor } from '../vdaf/task.ts';
import { testTask } from './categories.ts';
import type { FreshDb } from './databases.ts';
import { membershipLog, testMember } from './member-reports.ts';
import { startMemberPipeline, type MemberPipeline } from './member-pipeline.ts';
import { uploadWithRealClient } from './real-client.ts';

const DAY = 86_400;
const EPOCH = 20_428 * DAY; // 2025-12-06
const NOW = EPOCH + DAY;
const categories = testTask([4, 5]);
const vdaf = sumVecFor(categories);
const field = vdaf.flp.field;

const [alice, bob, carol, dave, mallory, erin] = [1, 2, 3, 4, 5, 6].map(testMember) as [
  ReturnType<typeof testMember>,
  ReturnType<typeof testMember>,
  ReturnType<typeof testMember>,
  ReturnType<typeof testMember>,
  ReturnType<typeof testMember>,
  ReturnType<typeof testMember>,
];
/**
 * Alice, Bob and Carol joined the day before; Dave joined during the epoch (he contributed to it);
 * Erin joined the moment it ended (she did not); Mallory never.
 */
const log = membershipLog([
  { member: alice.address, type: 'join', at: EPOCH - DAY },
  { member: bob.address, type: 'join', at: EPOCH - DAY + 1 },
  { member: carol.address, type: 'join', at: EPOCH - DAY + 2 },
  { member: dave.address, type: 'join', at: EPOCH + 100 },
  { member: erin.address, type: 'join', at: EPOCH + DAY },
]);

const m1 = [1, 3, 20, 0, 0, 0];
const m2 = [1, 9, 40, 1, 2, 5];
const m3 = [0, 0, 0, 1, 7, 60];
const at = EPOCH + 3_600;
const plain = (...rows: number[][]) => rows.reduce((acc, m) => acc.map((x, i) => x + m[i]!));

export function memberSignatureSuite(driver: string, fresh: () => FreshDb): void {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(): Promise<MemberPipeline> {
    const pipeline = await startMemberPipeline(fresh(), vdaf, log, NOW);
    cleanups.push(() => pipeline.close());
    return pipeline;
  }

  async function sums(env: MemberPipeline) {
    const { leader, helper } = await env.batches(EPOCH);
    expect(leader.reportCount).toBe(helper.reportCount);
    return {
      count: helper.reportCount,
      sums: leader.aggregateShare.map((x, i) => Number(field.add(x, helper.aggregateShare[i]!))),
    };
  }

  /** Alice's m1 and Bob's m3 through the leader's upload route, both accepted. */
  async function uploadAliceAndBob(env: MemberPipeline): Promise<void> {
    for (const [m, by] of [
      [m1, alice],
      [m3, bob],
    ] as const) {
      expect((await env.upload((await env.report(m, at, by)).bytes)).status).toBe(200);
    }
  }

  const count = async (env: MemberPipeline, db: 'leaderDb' | 'helperDb', table: string) => {
    const { rows } = await env[db].query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    return rows[0]!.n;
  };

  describe(`member signatures on ${driver}`, () => {
    it('the leader refuses at upload, with reportRejected and a reason, every report that is not one member’s first signed report of an epoch', async () => {
      const env = await setup();
      const refused = async (bytes: Uint8Array) => {
        const answer = await env.upload(bytes);
        expect(answer.status).toBe(400);
        expect(answer.type).toBe('urn:ietf:params:ppm:dap:error:reportRejected');
        return answer.detail;
      };
      expect((await env.upload((await env.report(m1, at, alice)).bytes)).status).toBe(200);
      expect(await refused((await env.report(m1, at, null)).bytes)).toMatch(/has none/);
      const [fromRealClient] = await uploadWithRealClient({
        taskId: env.clientTask.taskId,
        leaderKeys: [{ config: env.clientTask.leaderHpkeConfig }],
        helperKeys: [{ config: env.clientTask.helperHpkeConfig }],
        vdaf: { type: 'sumVec', ...categories.vdaf },
        timePrecisionSeconds: DAY,
        measurements: [m1],
        at: new Date(at * 1000),
      });
      expect(await refused(fromRealClient!.body)).toMatch(/has none/);
      expect(await refused((await env.report(m1, at, mallory)).bytes)).toMatch(/not a member/);
      expect(await refused((await env.report(m1, at, erin)).bytes)).toMatch(
        /not a member of the union at any time of the epoch/,
      );
      expect((await env.upload((await env.report(m3, at, dave)).bytes)).status).toBe(200);
      expect(await refused((await env.report(m2, at + 60, alice)).bytes)).toMatch(
        /already uploaded a report for this epoch/,
      );
      // Bob's signature, made for one report, grafted onto another (other id and public share).
      const signedFor = await shardMeasurement(env.clientTask, m2, at);
      const other = await shardMeasurement(env.clientTask, m2, at);
      const bobs = await memberSignatureExtension(env.clientTask, signedFor, {
        member: bob.address,
        signer: bob,
      });
      const grafted = await sealReport(env.clientTask, other, [bobs]);
      expect(await refused(grafted.bytes)).toMatch(/not signed by/);
      // Bob's signature over this very report, but for another task.
      const otherTask = { ...env.clientTask, taskId: new Uint8Array(32).fill(1) };
      const wrongTask = await memberSignatureExtension(otherTask, other, {
        member: bob.address,
        signer: bob,
      });
      expect(await refused((await sealReport(env.clientTask, other, [wrongTask])).bytes)).toMatch(
        /not signed by/,
      );
      // Bob's valid signature for this report, next to an extension type neither aggregator
      // knows, or twice (DAP-09: invalid either way).
      const valid = await memberSignatureExtension(env.clientTask, other, {
        member: bob.address,
        signer: bob,
      });
      const unknown = { type: 7, data: new Uint8Array() };
      const withUnknown = await sealReport(env.clientTask, other, [valid, unknown]);
      expect(await refused(withUnknown.bytes)).toMatch(/unknown extension type 7/);
      const twice = await sealReport(env.clientTask, other, [valid, valid]);
      expect(await refused(twice.bytes)).toMatch(/twice/);
      expect(await count(env, 'leaderDb', 'reports')).toBe(2);
      expect(await count(env, 'leaderDb', 'member_reports')).toBe(2);
    });

    it('the leader answers 503 and stores nothing while the membership log cannot answer, and accepts the same upload once it can', async () => {
      let settled = false;
      const known = memoryMembership(log);
      const env = await startMemberPipeline(fresh(), vdaf, log, NOW, {
        memberDuring: (address, from, to) => {
          if (!settled) throw new MembershipUnavailable('The log is not settled for that epoch.');
          return known.memberDuring(address, from, to);
        },
      });
      cleanups.push(() => env.close());
      const { bytes } = await env.report(m1, at, alice);
      expect(await env.upload(bytes)).toEqual({
        status: 503,
        type: 'about:blank',
        detail: 'The log is not settled for that epoch.',
      });
      expect(await count(env, 'leaderDb', 'reports')).toBe(0);
      settled = true;
      expect(await env.upload(bytes)).toEqual({ status: 200 });
      expect(await count(env, 'leaderDb', 'member_reports')).toBe(1);
    });

    it('the helper refuses a member’s second report for an epoch even when the leader is patched to accept it; nothing is added', async () => {
      const env = await setup();
      await uploadAliceAndBob(env);
      expect((await aggregationDriver(env.driver).runUntilIdle()).map((r) => r.finished)).toEqual([
        2,
      ]);
      // The patched leader: stores Alice's second report of the epoch without its check.
      const second = await env.report(m2, at, alice);
      const { metadata } = second.report;
      expect(await env.store.put({ ...metadata, bytes: second.bytes })).toBe('stored');
      const runs = await aggregationDriver(env.driver).runUntilIdle();
      expect(runs.map((r) => [r.finished, r.failed])).toEqual([[0, 1]]);
      const { rows } = await env.helperDb.query<{ state: string; error: string | null }>(
        'SELECT state, error FROM report_aggregations ORDER BY state',
      );
      expect(rows).toEqual([
        { state: 'failed', error: 'report_replayed' },
        { state: 'finished', error: null },
        { state: 'finished', error: null },
      ]);
      expect(await count(env, 'helperDb', 'member_epochs')).toBe(2);
      expect(await sums(env)).toEqual({ count: 2, sums: plain(m1, m3) });
    });

    it('the helper keeps one of two reports of a member for an epoch sent in the same job', async () => {
      const env = await setup();
      const [first, second] = [await env.report(m1, at, carol), await env.report(m2, at, carol)];
      for (const r of [first, second]) {
        expect(await env.store.put({ ...r.report.metadata, bytes: r.bytes })).toBe('stored');
      }
      const runs = await aggregationDriver(env.driver).runUntilIdle();
      expect(runs.map((r) => [r.finished, r.failed])).toEqual([[1, 1]]);
      const { count: n, sums: total } = await sums(env);
      expect(n).toBe(1);
      expect([m1, m2]).toContainEqual(total);
      expect(await count(env, 'helperDb', 'member_epochs')).toBe(1);
    });

    it('the helper rejects (invalid_message) unsigned, non-member (joined after the epoch) and grafted reports a patched leader sends; members’ reports count, a join during the epoch included', async () => {
      const env = await setup();
      const patched = { ...env.driver, task: { ...env.driver.task, memberSignatures: undefined } };
      const other = await shardMeasurement(env.clientTask, m2, at);
      const signedFor = await shardMeasurement(env.clientTask, m2, at);
      const carols = await memberSignatureExtension(env.clientTask, signedFor, {
        member: carol.address,
        signer: carol,
      });
      const reports = [
        await env.report(m1, at, alice),
        await env.report(m3, at, dave),
        await env.report(m2, at, null),
        await env.report(m2, at, mallory),
        await env.report(m2, at, erin),
        await sealReport(env.clientTask, other, [carols]),
      ];
      for (const r of reports) {
        await env.store.put({ ...r.report.metadata, bytes: r.bytes });
      }
      const runs = await aggregationDriver(patched).runUntilIdle();
      expect(runs.map((r) => [r.finished, r.failed])).toEqual([[2, 4]]);
      const { rows } = await env.helperDb.query<{ error: string | null }>(
        'SELECT error FROM report_aggregations ORDER BY error NULLS FIRST',
      );
      expect(rows.map((r) => r.error)).toEqual([
        null,
        null,
        'invalid_message',
        'invalid_message',
        'invalid_message',
        'invalid_message',
      ]);
      expect(await sums(env)).toEqual({ count: 2, sums: plain(m1, m3) });
    });

    it('lists as contributions the (member, epoch) of reports both aggregators finished, not one the helper rejected', async () => {
      const env = await setup();
      await uploadAliceAndBob(env);
      // Carol's helper share is sealed to the leader's key: her upload passes the leader's checks,
      // the helper cannot open its share and rejects the report.
      const broken = await shardMeasurement(env.clientTask, m2, at);
      const task = { ...env.clientTask, helperHpkeConfig: env.clientTask.leaderHpkeConfig };
      const sig = await memberSignatureExtension(task, broken, {
        member: carol.address,
        signer: carol,
      });
      expect((await env.upload((await sealReport(task, broken, [sig])).bytes)).status).toBe(200);
      await aggregationDriver(env.driver).runUntilIdle();
      expect(
        await memberContributions(env.leaderDb, env.helperTask.taskId, EPOCH, EPOCH + DAY),
      ).toEqual(
        [alice, bob]
          .map((w) => ({ member: w.address.toLowerCase(), epoch: EPOCH }))
          .sort((a, b) => a.member.localeCompare(b.member)),
      );
      expect(
        await memberContributions(
          env.leaderDb,
          env.helperTask.taskId,
          EPOCH + DAY,
          EPOCH + 2 * DAY,
        ),
      ).toEqual([]);
      expect(await sums(env)).toEqual({ count: 2, sums: plain(m1, m3) });
    });
  });
}
