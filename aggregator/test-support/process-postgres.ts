/**
 * The frame of a test file that runs the real aggregator processes on PostgreSQL: one throwaway
 * cluster (or TEST_DATABASE_URL) and one scratch folder for the file, every spawned process
 * killed and the folder removed at the end; skipped with a hint when there is no PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import {
  postgresAvailable,
  startPostgres,
  type PostgresCluster,
} from '../../shared-db/test-support/postgres-cluster.ts';
import { killProcesses } from './helper-process.ts';

export interface ProcessPostgres {
  /** The file's scratch folder (task files, PGlite-free data folders). */
  dir(): string;
  /** A new empty database on the file's cluster; its URL. */
  createDatabase(): Promise<string>;
}

export function describeProcessesOnPostgres(
  file: string,
  title: string,
  body: (pg: ProcessPostgres) => void,
): void {
  let cluster: PostgresCluster | undefined;
  let dir: string | undefined;
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('The PostgreSQL frame has not started.');
    return value;
  };
  describe.runIf(postgresAvailable(file))(title, () => {
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'crowdsell-process-pg-'));
      cluster = await startPostgres();
    }, 120_000);
    afterAll(async () => {
      killProcesses();
      if (dir) rmSync(dir, { recursive: true, force: true });
      await cluster?.stop();
    });
    body({
      dir: () => started(dir),
      createDatabase: () => started(cluster).createDatabase(),
    });
  });
}
