/**
 * Collection through the real leader and helper processes, each on its own PostgreSQL database
 * (LEADER_DATABASE_URL, HELPER_DATABASE_URL): noise off gives the plain sums exactly; with a
 * central ε in both task files the sums carry both aggregators' noise.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  postgresAvailable,
  startPostgres,
  type PostgresCluster,
} from '../shared-db/test-support/postgres-cluster.ts';
import {
  expectNoisySums,
  expectPlainSums,
  type ProcessDatabases,
} from './test-support/collection-process-suite.ts';
import { killProcesses } from './test-support/helper-process.ts';

const hasPostgres = postgresAvailable('aggregator/collection-process.postgres.test.ts');
const dir = mkdtempSync(path.join(tmpdir(), 'crowdsell-collection-pg-'));
let cluster: PostgresCluster;

describe.runIf(hasPostgres)('collection through the real processes on PostgreSQL', () => {
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 120_000);
  afterAll(async () => {
    killProcesses();
    rmSync(dir, { recursive: true, force: true });
    await cluster?.stop();
  });

  const databases = async (): Promise<ProcessDatabases> => ({
    helperEnv: { HELPER_DATABASE_URL: await cluster.createDatabase() },
    leaderEnv: { LEADER_DATABASE_URL: await cluster.createDatabase() },
  });

  it('noise off: the plain sums exactly', async () => {
    await expectPlainSums(dir, await databases());
  }, 180_000);

  it('central ε in both task files: both start lines say noise on, the sums carry integer noise within both tails', async () => {
    await expectNoisySums(dir, await databases());
  }, 180_000);
});
