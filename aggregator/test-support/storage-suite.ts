/**
 * The aggregators' storage contract, run against PGlite (storage.test.ts) and PostgreSQL
 * (storage.postgres.test.ts): each role's own schema, the leader's report store, the helper's
 * jobs, replay refusal and batch aggregations, and HPKE keys kept in each role's database.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '../../shared-db/db.ts';
import { loadOrCreateKeypairs } from '../db/hpke-keys.ts';
import { helperSchema } from '../helper/db/schema.ts';
import { sqlHelperStore } from '../helper/db/sql-store.ts';
import type { PrepareError } from '../dap/aggregation.ts';
import type { PreparedReport } from '../helper/store.ts';
import { leaderSchema } from '../leader/db/schema.ts';
import { sqlReportStore } from '../leader/db/sql-report-store.ts';
import { addToBatch, emptyBatch } from '../vdaf/batch-aggregation.ts';
import { sumVecFor } from '../vdaf/task.ts';
import { testTask } from './categories.ts';
import type { FreshDb } from './databases.ts';

const DAY = 86_400;
const vdaf = sumVecFor(testTask([1, 2]));
const id = () => new Uint8Array(randomBytes(16));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const sha = (s: string) => new Uint8Array(createHash('sha256').update(s).digest());
const share = (k: number) => Array.from({ length: 6 }, (_, i) => BigInt(k * 10 + i));

function finished(day: number, k: number, reportId: Uint8Array = id()): PreparedReport {
  return {
    reportId,
    time: day * DAY + 5,
    batchStart: day * DAY,
    state: 'finished',
    outputShare: share(k),
  };
}

/** The response a real route would encode: here, each report's store rejection in order, as text. */
const respondWith =
  (reports: readonly PreparedReport[]) => (rejected: ReadonlyMap<string, PrepareError>) =>
    new TextEncoder().encode(
      reports
        .map(
          (r) =>
            ({ report_replayed: 'R', batch_collected: 'C' })[
              rejected.get(hex(r.reportId)) as string
            ] ?? 'ok',
        )
        .join(),
    );

export function storageSuite(driver: string, fresh: () => FreshDb): void {
  const dbs: Db[] = [];
  const open = async (schema: typeof leaderSchema) => {
    const db = await fresh()(schema);
    dbs.push(db);
    return db;
  };
  afterAll(async () => {
    await Promise.all(dbs.map((db) => db.close()));
  });

  describe(`aggregator storage on ${driver}`, () => {
    it('each role has its own schema: the leader has no helper tables and the helper no reports', async () => {
      const tables = async (db: Db) =>
        (
          await db.query<{ table_name: string }>(
            `SELECT table_name FROM information_schema.tables
             WHERE table_schema = 'public' ORDER BY table_name`,
          )
        ).rows.map((r) => r.table_name);
      expect(await tables(await open(leaderSchema))).toEqual([
        'aggregation_jobs',
        'batch_aggregations',
        'collection_jobs',
        'contributions_read',
        'hpke_keypairs',
        'member_reports',
        'report_aggregations',
        'reports',
        'schema_migrations',
      ]);
      const helper = await open(helperSchema);
      expect(await tables(helper)).toEqual([
        'aggregate_share_jobs',
        'aggregation_jobs',
        'batch_aggregations',
        'hpke_keypairs',
        'member_epochs',
        'report_aggregations',
        'reports_seen',
        'schema_migrations',
      ]);
      const again = await helperSchema.migrate(helper);
      expect(again).toMatchObject({ applied: [], version: helperSchema.migrations().length });
    });

    it('HPKE keys are created once per role database and read back the same', async () => {
      const db = await open(helperSchema);
      const first = await loadOrCreateKeypairs(db);
      const second = await loadOrCreateKeypairs(db);
      expect(first).toHaveLength(1);
      expect(second).toEqual(first);
      const leaderKeys = await loadOrCreateKeypairs(await open(leaderSchema));
      expect(hex(leaderKeys[0]!.privateKey)).not.toBe(hex(first[0]!.privateKey));
    });

    it('the leader stores a report once, accepts a byte-identical retry and refuses other bytes under its id', async () => {
      const db = await open(leaderSchema);
      const taskA = new Uint8Array(randomBytes(32));
      const store = sqlReportStore(db, taskA, DAY);
      const report = { reportId: id(), time: 100, bytes: Uint8Array.of(1, 2, 3) };
      expect(await store.put(report)).toBe('stored');
      expect(await store.put({ ...report })).toBe('same');
      expect(await store.put({ ...report, bytes: Uint8Array.of(9) })).toBe('conflict');
      const otherTask = sqlReportStore(db, new Uint8Array(randomBytes(32)), DAY);
      expect(await otherTask.put(report)).toBe('stored');
      const listed = await store.list();
      expect(listed.map((r) => [hex(r.reportId), r.time, [...r.bytes]])).toEqual([
        [hex(report.reportId), 100, [1, 2, 3]],
      ]);
    });

    it('the leader stores no report into a collected bucket (batchCollected), yet answers a retry of one it stored', async () => {
      const db = await open(leaderSchema);
      const task = new Uint8Array(randomBytes(32));
      const store = sqlReportStore(db, task, DAY);
      const stored = { reportId: id(), time: 10 * DAY + 5, bytes: Uint8Array.of(1) };
      expect(await store.put(stored)).toBe('stored');
      await db.query(
        `INSERT INTO batch_aggregations (task_id, batch_start, aggregate_share, report_count, checksum, collected)
         VALUES ($1, $2, $3, 0, $4, true)`,
        [task, 10 * DAY, new Uint8Array(0), new Uint8Array(32)],
      );
      const late = { reportId: id(), time: 10 * DAY + 7, bytes: Uint8Array.of(2) };
      expect(await store.put(late)).toBe('batchCollected');
      expect(await store.put({ ...stored })).toBe('same');
      expect(await store.put({ ...stored, bytes: Uint8Array.of(3) })).toBe('conflict');
      expect(await store.put({ ...late, time: 11 * DAY })).toBe('stored');
      expect((await store.list()).map((r) => hex(r.reportId))).toEqual([
        hex(stored.reportId),
        hex(late.reportId),
      ]);
    });

    it('the helper adds finished reports to their batch once; a retried job gets the stored answer and adds nothing', async () => {
      const store = sqlHelperStore(await open(helperSchema), vdaf, new Uint8Array(32), DAY);
      const jobId = id();
      const failed: PreparedReport = {
        reportId: id(),
        time: 10 * DAY,
        batchStart: 10 * DAY,
        state: 'failed',
        error: 'hpke_decrypt_error',
      };
      const reports = [finished(10, 1), failed, finished(10, 2), finished(11, 3)];
      expect(await store.findJob(jobId, sha('job'))).toBeNull();
      const first = await store.commitJob(jobId, sha('job'), reports, respondWith(reports));
      const retry = await store.commitJob(jobId, sha('job'), reports, respondWith(reports));
      expect(retry).toEqual(first);
      expect(await store.findJob(jobId, sha('job'))).toEqual(first);
      expect(await store.commitJob(jobId, sha('other'), [], respondWith([]))).toEqual({
        kind: 'conflict',
      });
      const [a, , b, c] = reports as [
        PreparedReport,
        PreparedReport,
        PreparedReport,
        PreparedReport,
      ];
      let day10 = emptyBatch(vdaf);
      for (const r of [a, b]) day10 = addToBatch(vdaf, day10, r.reportId, share(r === a ? 1 : 2));
      expect(await store.batch({ start: 10 * DAY, duration: DAY })).toEqual(day10);
      const both = addToBatch(vdaf, day10, c.reportId, share(3));
      expect(await store.batch({ start: 10 * DAY, duration: 2 * DAY })).toEqual(both);
      expect(await store.batch({ start: 12 * DAY, duration: DAY })).toEqual(emptyBatch(vdaf));
    });

    it('a report id the helper already aggregated is report_replayed in a later job and counted once', async () => {
      const store = sqlHelperStore(await open(helperSchema), vdaf, new Uint8Array(32), DAY);
      const original = finished(20, 4);
      await store.commitJob(id(), sha('1'), [original], respondWith([original]));
      const replay = finished(20, 5, original.reportId);
      const fresh = finished(20, 6);
      const second = await store.commitJob(
        id(),
        sha('2'),
        [replay, fresh],
        respondWith([replay, fresh]),
      );
      expect(second).toEqual({ kind: 'answered', response: new TextEncoder().encode('R,ok') });
      const expected = addToBatch(
        vdaf,
        addToBatch(vdaf, emptyBatch(vdaf), original.reportId, share(4)),
        fresh.reportId,
        share(6),
      );
      expect(await store.batch({ start: 20 * DAY, duration: DAY })).toEqual(expected);
    });

    it('gives a batch once: the same request gets the stored answer, another request or an overlapping interval is refused, and later reports are batch_collected', async () => {
      const store = sqlHelperStore(await open(helperSchema), vdaf, new Uint8Array(32), DAY);
      const early = [finished(40, 1), finished(41, 2)];
      await store.commitJob(id(), sha('a'), early, respondWith(early));
      const twoDays = { start: 40 * DAY, duration: 2 * DAY };
      const seenBatches: number[] = [];
      const answer = (batch: { reportCount: number }) => {
        seenBatches.push(batch.reportCount);
        return Promise.resolve(Uint8Array.of(batch.reportCount));
      };
      const refuse = () => Promise.reject(new Error('refused by the caller'));
      await expect(store.collectBatch(twoDays, sha('q'), refuse)).rejects.toThrow(/refused/);
      const given = await store.collectBatch(twoDays, sha('q'), answer);
      expect(given).toEqual({ kind: 'answered', response: Uint8Array.of(2) });
      expect(await store.collectBatch(twoDays, sha('q'), answer)).toEqual(given);
      expect(await store.collectBatch(twoDays, sha('other'), answer)).toEqual({ kind: 'queried' });
      const oneDay = { start: 41 * DAY, duration: DAY };
      expect(await store.collectBatch(oneDay, sha('q'), answer)).toEqual({ kind: 'overlap' });
      expect(seenBatches).toEqual([2]);
      const late = [finished(41, 3), finished(42, 4)];
      const lateJob = await store.commitJob(id(), sha('late'), late, respondWith(late));
      expect(lateJob).toEqual({ kind: 'answered', response: new TextEncoder().encode('C,ok') });
      expect((await store.batch(twoDays)).reportCount).toBe(2);
      expect((await store.batch({ start: 42 * DAY, duration: DAY })).reportCount).toBe(1);
    });

    it('concurrent deliveries of one job and concurrent jobs naming one report count it once', async () => {
      const store = sqlHelperStore(await open(helperSchema), vdaf, new Uint8Array(32), DAY);
      const shared = finished(30, 7);
      const jobId = id();
      const deliveries = await Promise.all(
        [1, 2, 3].map(() => store.commitJob(jobId, sha('j'), [shared], respondWith([shared]))),
      );
      expect(new Set(deliveries.map((d) => JSON.stringify(d))).size).toBe(1);
      const others = await Promise.all(
        [1, 2, 3].map((n) => store.commitJob(id(), sha(`o${n}`), [shared], respondWith([shared]))),
      );
      expect(
        others.every(
          (o) => o.kind === 'answered' && hex(o.response) === hex(new TextEncoder().encode('R')),
        ),
      ).toBe(true);
      expect((await store.batch({ start: 30 * DAY, duration: DAY })).reportCount).toBe(1);
    });
  });
}
