/**
 * The benchmarks' PostgreSQL CPU reading (bench:ingest, bench:books, bench:scale) must never go
 * down: it summed the backends listed at each reading, so a backend that ended in between took
 * its CPU with it and a measured step came out negative (−47 s in one bench:books run).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openPostgres } from '../db/postgres-driver.ts';
import { clusterCpuMs, processTreeCpuMs } from '../test-support/load-generator.ts';
import { startPostgres, type PostgresCluster } from '../test-support/postgres-cluster.ts';

/** A /proc/<pid>/stat line: fields after the name, ppid 4th, utime..cstime 14th–17th. */
const statLine = (pid: number, ppid: number, ticks: [number, number, number, number]) =>
  `${pid} (post gres) S ${ppid} ${Array(9).fill(0).join(' ')} ${ticks.join(' ')} 20 0 1 0`;

describe('processTreeCpuMs', () => {
  it('adds the parent, its reaped children and its running children, nothing else', () => {
    const proc = mkdtempSync(join(tmpdir(), 'proc-'));
    try {
      const write = (pid: number, line: string) => {
        mkdirSync(join(proc, String(pid)));
        writeFileSync(join(proc, String(pid), 'stat'), line);
      };
      write(100, statLine(100, 1, [1, 2, 30, 40])); // 3 own + 70 reaped ticks
      write(101, statLine(101, 100, [5, 5, 0, 0]));
      write(102, statLine(102, 100, [1, 0, 0, 0]));
      write(200, statLine(200, 1, [50, 50, 0, 0])); // another cluster
      mkdirSync(join(proc, 'self'));
      expect(processTreeCpuMs(100, proc)).toBe((3 + 70 + 10 + 1) * 10);
      expect(processTreeCpuMs(999, proc)).toBe(0);
    } finally {
      rmSync(proc, { recursive: true, force: true });
    }
  });
});

describe('clusterCpuMs on PostgreSQL', () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgres();
  });
  afterAll(async () => {
    await cluster.stop();
  });

  it('keeps the CPU of a backend that has ended', async () => {
    const url = await cluster.createDatabase('cluster_cpu');
    const reader = await openPostgres({ url, poolSize: 1 });
    const worker = await openPostgres({ url, poolSize: 1 });
    try {
      const { rows } = await worker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const pid = rows[0]!.pid;
      // Enough work that the ended backend's CPU is many clock ticks.
      await worker.query('SELECT count(*) FROM generate_series(1, 3000000)');
      const before = await clusterCpuMs(reader);
      await worker.close();
      // Until the backend has ended and the postmaster has reaped it (its /proc entry is gone).
      for (let i = 0; i < 400 && existsSync(`/proc/${pid}`); i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(existsSync(`/proc/${pid}`)).toBe(false);
      expect(before).toBeGreaterThan(0);
      expect(await clusterCpuMs(reader)).toBeGreaterThanOrEqual(before);
    } finally {
      await reader.close();
    }
  });
});
