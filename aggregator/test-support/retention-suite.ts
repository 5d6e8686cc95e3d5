/**
 * Retention on both aggregators (issue 19), each on its own database (PGlite in
 * retention.test.ts, PostgreSQL in retention.postgres.test.ts), with real signed
 * member reports, real HPKE and Prio3 through the leader's upload route, its driver and the helper
 * server: once the batch is collected (each side's real freeze), the reports' time is past the
 * expiry age plus the keep period and the union has read the epoch's contributions, the leader
 * deletes uploads, outcomes, member rows and empty jobs, the helper its outcome rows, seen ids,
 * member-epoch keys and empty jobs — never before any of those. Afterwards both still refuse:
 * the leader a replayed upload and a member's second report of the epoch (by time; its server
 * notes the union's read of contributions when the union asks from its cursor), the helper a
 * report of the collected batch a patched leader sends again (`batch_collected`).
 */
import { Buffer } from 'node:buffer';
import { afterEach, describe, expect, it } from 'vitest';
import { taskIdToString } from '../dap/task-id.ts';
import { MEDIA_TYPES } from '../dap/upload.ts';
import { helperRetentionPass } from '../helper/retention.ts';
import { sqlHelperStore } from '../helper/db/sql-store.ts';
import { aggregationDriver } from '../leader/aggregation-driver.ts';
import { sqlCollectionStore } from '../leader/db/sql-collection-store.ts';
import { leaderRetentionPass } from '../leader/retention.ts';
import { noteContributionsRead } from '../leader/retention-store.ts';
import { buildLeaderServer } from '../leader/server.ts';
import { sumVecFor } from '../vdaf/task.ts';
import { testTask } from './categories.ts';
import type { FreshDb } from './databases.ts';
import { membershipLog, testMember } from './member-reports.ts';
import { startMemberPipeline, type MemberPipeline } from './member-pipeline.ts';

const DAY = 86_400;
const EPOCH = 20_428 * DAY;
const NOW = EPOCH + DAY;
const EXPIRY = 7 * DAY;
const KEEP = DAY;
const COLLECTOR_TOKEN = 'a-collector-token-of-sufficient-length';
/** Past the expiry age and the keep period of the epoch's reports (timestamped at its start). */
const LATE = EPOCH + EXPIRY + KEEP + 1;
const categories = testTask([4, 5]);
const vdaf = sumVecFor(categories);
const [alice, bob, carol] = [1, 2, 3].map(testMember) as [
  ReturnType<typeof testMember>,
  ReturnType<typeof testMember>,
  ReturnType<typeof testMember>,
];
const log = membershipLog(
  [alice, bob, carol].map((m, i) => ({ member: m.address, type: 'join', at: EPOCH - DAY + i })),
);
const at = EPOCH + 3_600;
const theDay = { start: EPOCH, duration: DAY };

const LEADER_TABLES = ['reports', 'member_reports', 'report_aggregations', 'aggregation_jobs'];
const HELPER_TABLES = ['report_aggregations', 'reports_seen', 'member_epochs', 'aggregation_jobs'];
const KEPT = ['batch_aggregations'];

async function counts(env: MemberPipeline, db: 'leaderDb' | 'helperDb', tables: string[]) {
  const out: Record<string, number> = {};
  for (const table of tables) {
    const { rows } = await env[db].query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    out[table] = rows[0]!.n;
  }
  return out;
}

const leaderPass = (env: MemberPipeline, now: number) =>
  leaderRetentionPass({
    db: env.leaderDb,
    taskId: env.helperTask.taskId,
    timePrecisionSeconds: DAY,
    reportExpiryAgeSeconds: EXPIRY,
    keepSeconds: KEEP,
    now: () => now,
    batchRows: 2,
  });

const helperPass = (env: MemberPipeline, now: number) =>
  helperRetentionPass({
    db: env.helperDb,
    taskId: env.helperTask.taskId,
    timePrecisionSeconds: DAY,
    keepSeconds: KEEP,
    now: () => now,
    batchRows: 2,
  });

const each = (tables: string[], n: number) => Object.fromEntries(tables.map((t) => [t, n]));

export function retentionSuite(driver: string, fresh: () => FreshDb): void {
  describe(`retention on the DAP aggregators (${driver})`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    /** Three members' reports uploaded, aggregated by both, and the day collected by both. */
    async function collectedDay() {
      const env = await startMemberPipeline(fresh(), vdaf, log, NOW);
      cleanups.push(() => env.close());
      const reports = [];
      for (const [i, by] of [alice, bob, carol].entries()) {
        const r = await env.report([1, i, 2 * i, 0, 1, 3], at, by);
        expect((await env.upload(r.bytes)).status).toBe(200);
        reports.push(r);
      }
      expect((await aggregationDriver(env.driver).runUntilIdle()).map((r) => r.finished)).toEqual([
        3,
      ]);
      const taskId = env.helperTask.taskId;
      // Expired, read and past the keep period, but not collected: nothing goes on either side.
      await noteContributionsRead(env.leaderDb, taskId, EPOCH + DAY);
      expect((await leaderPass(env, LATE)).deleted).toEqual([0, 0]);
      expect((await helperPass(env, LATE)).deleted).toEqual([0, 0, 0]);
      await env.leaderDb.query('DELETE FROM contributions_read');
      const leaderJobs = sqlCollectionStore(env.leaderDb, vdaf, taskId, {
        timePrecisionSeconds: DAY,
        minBatchSize: 3,
      });
      const jobId = new Uint8Array(16).fill(7);
      const hash = new Uint8Array(32).fill(1);
      expect(await leaderJobs.create(jobId, theDay, hash)).toBe('created');
      const frozen = await leaderJobs.freeze(jobId, NOW, () =>
        Promise.resolve({ shareRequest: new Uint8Array(1), leaderShare: new Uint8Array(1) }),
      );
      expect(frozen.kind).toBe('frozen');
      const helperStore = sqlHelperStore(env.helperDb, vdaf, taskId, DAY);
      const share = await helperStore.collectBatch(theDay, hash, () =>
        Promise.resolve(new Uint8Array(1)),
      );
      expect(share.kind).toBe('answered');
      return { env, reports, taskId, helperStore };
    }

    it('the leader keeps everything until the batch is collected, the reports expired and their contributions were read; then keeps no row per report', async () => {
      const { env, reports, taskId } = await collectedDay();
      const leader = await buildLeaderServer(
        {
          ...env.helperTask,
          helperUrl: 'http://127.0.0.1:9',
          reportExpiryAgeSeconds: EXPIRY,
          collectorAuthToken: COLLECTOR_TOKEN,
        },
        env.leaderDb,
        { now: () => LATE, memberSignatures: env.policy },
      );
      cleanups.push(() => leader.close());
      /** The union reading the day's contributions from its cursor, as dap-activity.ts does. */
      const readContributions = async (from: number) => {
        const answer = await leader.inject({
          method: 'GET',
          url: `/internal/tasks/${taskIdToString(taskId)}/contributions?from=${from}&to=${EPOCH + DAY}`,
          headers: { 'dap-auth-token': COLLECTOR_TOKEN },
        });
        expect(answer.statusCode).toBe(200);
      };
      const before = await counts(env, 'leaderDb', [...LEADER_TABLES, ...KEPT]);
      expect(before).toEqual({ ...each(LEADER_TABLES, 3), aggregation_jobs: 1, ...each(KEPT, 1) });
      // Expired and collected, but the union has not read the epoch's contributions yet.
      expect((await leaderPass(env, LATE)).deleted).toEqual([0, 0]);
      await readContributions(EPOCH);
      expect((await leaderPass(env, LATE)).deleted).toEqual([0, 0]);
      await readContributions(EPOCH + DAY);
      // Read, but the keep period after the expiry age has not passed.
      expect((await leaderPass(env, LATE - 1)).deleted).toEqual([0, 0]);
      expect(await leaderPass(env, LATE)).toEqual({ ran: true, deleted: [3, 1] });
      expect(await leaderPass(env, LATE)).toEqual({ ran: true, deleted: [0, 0] });
      expect(await counts(env, 'leaderDb', [...LEADER_TABLES, ...KEPT, 'collection_jobs'])).toEqual(
        {
          ...each(LEADER_TABLES, 0),
          ...each(KEPT, 1),
          collection_jobs: 1,
        },
      );

      // The leader's own server (its upload route as the process runs it): replays are refused.
      const second = await env.report([1, 1, 1, 1, 1, 1], at, alice);
      for (const bytes of [reports[0]!.bytes, second.bytes]) {
        const answer = await leader.inject({
          method: 'PUT',
          url: `/tasks/${taskIdToString(taskId)}/reports`,
          headers: { 'content-type': MEDIA_TYPES.report },
          payload: Buffer.from(bytes),
        });
        expect(answer.statusCode).toBe(400);
        expect(answer.json<{ type: string }>().type).toBe(
          'urn:ietf:params:ppm:dap:error:reportRejected',
        );
      }
      expect(await counts(env, 'leaderDb', ['reports'])).toEqual({ reports: 0 });
    });

    it('the helper deletes its rows per report of a collected batch after the keep period, and still refuses a report of that batch sent again', async () => {
      const { env, reports, helperStore } = await collectedDay();
      expect(await counts(env, 'helperDb', HELPER_TABLES)).toEqual({
        ...each(HELPER_TABLES, 3),
        aggregation_jobs: 1,
      });
      expect((await helperPass(env, EPOCH + KEEP)).deleted).toEqual([0, 0, 0]);
      expect(await helperPass(env, EPOCH + KEEP + 1)).toEqual({ ran: true, deleted: [3, 3, 1] });
      expect(await helperPass(env, LATE)).toEqual({ ran: true, deleted: [0, 0, 0] });
      expect(await counts(env, 'helperDb', [...HELPER_TABLES, ...KEPT])).toEqual({
        ...each(HELPER_TABLES, 0),
        ...each(KEPT, 1),
      });

      // A patched leader (its bucket unfrozen, the upload stored again) sends Alice's report anew.
      await env.leaderDb.query('UPDATE batch_aggregations SET collected = false');
      const { metadata } = reports[0]!.report;
      expect(await env.store.put({ ...metadata, bytes: reports[0]!.bytes })).toBe('same');
      await env.leaderDb.query('DELETE FROM report_aggregations WHERE report_id = $1', [
        metadata.reportId,
      ]);
      await env.leaderDb.query(
        'UPDATE reports SET aggregation_started = false WHERE report_id = $1',
        [metadata.reportId],
      );
      const runs = await aggregationDriver(env.driver).runUntilIdle();
      expect(runs.map((r) => [r.finished, r.failed])).toEqual([[0, 1]]);
      const { rows } = await env.helperDb.query<{ error: string | null }>(
        'SELECT error FROM report_aggregations',
      );
      expect(rows).toEqual([{ error: 'batch_collected' }]);
      expect((await helperStore.batch(theDay)).reportCount).toBe(3);
    });
  });
}
