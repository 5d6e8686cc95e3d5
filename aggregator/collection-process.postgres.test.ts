/**
 * Collection through the real leader and helper processes, each on its own PostgreSQL database
 * (LEADER_DATABASE_URL, HELPER_DATABASE_URL): noise off gives the plain sums exactly; with a
 * central ε in both task files the sums carry both aggregators' noise.
 */
import { it } from 'vitest';
import {
  expectNoisySums,
  expectPlainSums,
  type ProcessDatabases,
} from './test-support/collection-process-suite.ts';
import { describeProcessesOnPostgres } from './test-support/process-postgres.ts';

const FILE = 'aggregator/collection-process.postgres.test.ts';

describeProcessesOnPostgres(FILE, 'collection through the real processes on PostgreSQL', (pg) => {
  const databases = async (): Promise<ProcessDatabases> => ({
    helperEnv: { HELPER_DATABASE_URL: await pg.createDatabase() },
    leaderEnv: { LEADER_DATABASE_URL: await pg.createDatabase() },
  });

  it('noise off: the plain sums exactly', async () => {
    await expectPlainSums(pg.dir(), await databases());
  }, 180_000);

  it('central ε in both task files: both start lines say noise on, the sums carry integer noise within both tails', async () => {
    await expectNoisySums(pg.dir(), await databases());
  }, 180_000);
});
