/**
 * `npm run union -- leader` on PostgreSQL (LEADER_DATABASE_URL), the helper process on its own
 * PostgreSQL database (HELPER_DATABASE_URL): a leader killed with SIGKILL while a job waits before
 * its commit, restarted, aggregates every accepted upload exactly once; and two leader instances
 * on one database share the jobs (FOR UPDATE SKIP LOCKED) without aggregating any report twice —
 * in both, the leader's count and checksum equal the helper's and the collector opens the plain
 * sums.
 */
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { leaderSchema } from './leader/db/schema.ts';
import { testTask } from './test-support/categories.ts';
import { stopProcess } from './test-support/helper-process.ts';
import {
  collectYesterday,
  settledReports,
  leaderOutcomes,
  startProcessPair,
  uploadReports,
  type ProcessPair,
} from './test-support/process-pair.ts';
import { describeProcessesOnPostgres } from './test-support/process-postgres.ts';

const FILE = 'aggregator/leader-process.postgres.test.ts';
const categories = testTask([3, 4]);
const measurements = Array.from({ length: 6 }, (_, i) => [1, i + 2, i, 0, 0, 0]);
const plainSums = measurements.reduce((acc, m) => acc.map((x, i) => x + m[i]!));

describeProcessesOnPostgres(FILE, 'the leader process on PostgreSQL', (pg) => {
  async function pairOnPostgres(name: string): Promise<{ pair: ProcessPair; leaderUrl: string }> {
    const folder = path.join(pg.dir(), name);
    mkdirSync(folder);
    const pair = await startProcessPair(folder, categories, {
      HELPER_DATABASE_URL: await pg.createDatabase(),
    });
    return { pair, leaderUrl: await pg.createDatabase() };
  }

  async function expectExactlyOnce(pair: ProcessPair, url: string) {
    const db = await leaderSchema.open({ driver: 'postgres', url, poolSize: 1 });
    try {
      const { reports, jobs } = await leaderOutcomes(db);
      expect(reports).toEqual({ finished: measurements.length });
      expect(await collectYesterday(pair, db)).toEqual({
        count: measurements.length,
        sums: plainSums,
      });
      return jobs;
    } finally {
      await db.close();
    }
  }

  it('kill -9 before a commit, restart: every accepted upload aggregated exactly once', async () => {
    const { pair, leaderUrl } = await pairOnPostgres('kill');
    const env = { LEADER_DATABASE_URL: leaderUrl, LEADER_MAX_REPORTS_PER_JOB: '2' };
    const first = await pair.startLeader({
      ...env,
      LEADER_TEST_HOLD_BEFORE_COMMIT: '1',
      LEADER_LEASE_SECONDS: '0',
    });
    await uploadReports(pair, first.url, measurements);
    await first.waitFor(/test hold: a job is waiting before its commit/);
    const killed = once(first.child, 'exit');
    first.child.kill('SIGKILL');
    await killed;

    const second = await pair.startLeader(env);
    await settledReports([second], measurements.length);
    expect(await stopProcess(second.child)).toBe(0);
    const jobs = await expectExactlyOnce(pair, leaderUrl);
    expect(jobs[0]).toEqual({ state: 'finished', attempts: 2 });
    expect(await stopProcess(pair.helper.child)).toBe(0);
  }, 180_000);

  it('two leader instances on one database share the jobs and aggregate no report twice', async () => {
    const { pair, leaderUrl } = await pairOnPostgres('two');
    const env = { LEADER_DATABASE_URL: leaderUrl, LEADER_MAX_REPORTS_PER_JOB: '1' };
    const [a, b] = await Promise.all([pair.startLeader(env), pair.startLeader(env)]);
    await uploadReports(pair, a.url, measurements.slice(0, 3));
    await uploadReports(pair, b.url, measurements.slice(3));
    await settledReports([a, b], measurements.length);
    expect(await stopProcess(a.child)).toBe(0);
    expect(await stopProcess(b.child)).toBe(0);
    const jobs = await expectExactlyOnce(pair, leaderUrl);
    expect(jobs).toHaveLength(measurements.length);
    expect(jobs.every((j) => j.state === 'finished' && j.attempts === 1)).toBe(true);
    expect(await stopProcess(pair.helper.child)).toBe(0);
  }, 180_000);
});
