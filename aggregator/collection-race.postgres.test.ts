/**
 * A report uploaded while the leader freezes its batch (PostgreSQL, where the two run on separate
 * connections at once): the aggregation driver must not claim it into the bucket being frozen —
 * it waits for the freeze, then drops the report (`batch_collected`) — so the frozen request and
 * the helper still hold the same reports and the collection completes. Without that, the report
 * reached the helper but not the frozen request, and the helper refused the batch
 * (`batchMismatch`): nothing released, the batch lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  postgresAvailable,
  startPostgres,
  type PostgresCluster,
} from '../shared-db/test-support/postgres-cluster.ts';
import { decode, encode } from './dap/codec.ts';
import { aggregateShareCodec, aggregateShareReqCodec } from './dap/collection.ts';
import { reportCodec } from './dap/upload.ts';
import { aggregationDriver } from './leader/aggregation-driver.ts';
import { collectionDriver } from './leader/collection-driver.ts';
import { aggregateShareRequest, sealLeaderShare } from './leader/collection.ts';
import { sqlCollectionStore } from './leader/db/sql-collection-store.ts';
import { sqlReportStore } from './leader/db/sql-report-store.ts';
import { testTask } from './test-support/categories.ts';
import { freshPostgresDb } from './test-support/databases.ts';
import { startPipeline } from './test-support/driver-pipeline.ts';
import { sumVecFor } from './vdaf/task.ts';

const DAY = 86_400;
const DAY_START = 20_428 * DAY;
const theDay = { start: DAY_START, duration: DAY };
const NOW = DAY_START + DAY;
const categories = testTask([4, 5]);
const vdaf = sumVecFor(categories);
const measurements = Array.from({ length: 4 }, (_, i) => [1, i, i, 0, 1, 2]);

const hasPostgres = postgresAvailable('aggregator/collection-race.postgres.test.ts');
let cluster: PostgresCluster;

describe.runIf(hasPostgres)('a report uploaded during the freeze of its batch', () => {
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 120_000);
  afterAll(() => cluster?.stop());

  it('is not claimed while the freeze runs, then dropped batch_collected; the collection completes with the frozen reports', async () => {
    const pipeline = await startPipeline({
      fresh: freshPostgresDb(() => cluster),
      categories,
      measurements,
      day: DAY_START,
      now: NOW,
      maxReportsPerJob: 10,
      leaseSeconds: 600,
      storeReports: false,
    });
    try {
      const db = pipeline.leaderDb;
      const t = pipeline.helperTask;
      const reports = sqlReportStore(db, t.taskId, DAY);
      const put = (body: Uint8Array) => {
        const { metadata } = decode(reportCodec, body, 'report');
        return reports.put({ reportId: metadata.reportId, time: metadata.time, bytes: body });
      };
      const [late, ...early] = pipeline.uploads;
      for (const upload of early) await put(upload.body);
      await aggregationDriver(pipeline.base).runUntilIdle();

      const task = { ...t, timePrecisionSeconds: DAY, centralEpsilon: null };
      const store = sqlCollectionStore(db, vdaf, t.taskId, task);
      const jobId = new Uint8Array(16).fill(1);
      expect(await store.create(jobId, theDay, new Uint8Array(32))).toBe('created');

      let openGate: () => void = () => {};
      const gate = new Promise<void>((resolve) => (openGate = resolve));
      let inFreeze: () => void = () => {};
      const freezing = new Promise<void>((resolve) => (inFreeze = resolve));
      const freeze = store.freeze(jobId, NOW, async (batch) => {
        inFreeze();
        await gate;
        const request = aggregateShareRequest(batch, theDay, t.minBatchSize);
        const share = await sealLeaderShare(vdaf, t.taskId, t.collectorHpkeConfig, batch, request);
        return {
          shareRequest: encode(aggregateShareReqCodec, request),
          leaderShare: encode(aggregateShareCodec, share),
        };
      });
      await freezing;
      await put(late!.body);
      const aggregating = aggregationDriver(pipeline.base).runOne();
      /** Resolves once another connection waits for a lock held by the freeze. */
      const waiting = async () => {
        for (;;) {
          const { rows } = await db.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted',
          );
          if (rows[0]!.n > 0) return 'waits for the freeze';
          await new Promise((resolve) => setImmediate(resolve));
        }
      };
      const first = await Promise.race([
        aggregating.then(() => 'aggregated during the freeze'),
        waiting(),
      ]);
      expect(first).toBe('waits for the freeze');
      openGate();
      expect(await freeze).toMatchObject({ kind: 'frozen' });
      expect(await aggregating).toBeNull();
      const { rows } = await db.query<{ state: string; error: string | null }>(
        'SELECT state, error FROM report_aggregations WHERE job_id IS NULL',
      );
      expect(rows).toEqual([{ state: 'failed', error: 'batch_collected' }]);

      const collection = collectionDriver({
        db,
        task,
        helper: pipeline.base.helper,
        fetch: (input, init) => fetch(input, init),
        now: () => NOW,
        leaseSeconds: 600,
      });
      expect(await collection.runUntilIdle()).toMatchObject([{ outcome: 'finished' }]);
    } finally {
      await pipeline.close();
    }
  }, 120_000);
});
