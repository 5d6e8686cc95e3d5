/**
 * `npm run union -- leader` as a real process next to the helper process, each with its own PGlite
 * folder. Acceptance (issue 21): the leader is killed with SIGKILL while a job waits between the
 * helper's answer and its commit (LEADER_TEST_HOLD_BEFORE_COMMIT makes that moment deterministic),
 * restarted on the same folder, and every accepted upload is aggregated exactly once — the
 * leader's count and checksum equal the helper's (the helper refuses an AggregateShareReq
 * otherwise) and the collector opens the plain sums. Also: its own variables, /healthz, the same
 * HPKE config after a restart.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encode } from './dap/codec.ts';
import { generateHpkeKeypair } from './dap/hpke.ts';
import { hpkeConfigCodec } from './dap/upload.ts';
import { leaderSchema } from './leader/db/schema.ts';
import { leaderOptionsFromEnv } from './leader/run-leader.ts';
import { parseLeaderTask } from './leader/task-definition.ts';
import { testTask } from './test-support/categories.ts';
import { helperConfigs } from './test-support/helper-http.ts';
import { killProcesses, stopProcess } from './test-support/helper-process.ts';
import {
  collectYesterday,
  settledReports,
  leaderOutcomes,
  startProcessPair,
  uploadReports,
} from './test-support/process-pair.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'crowdsell-leader-'));
afterAll(() => {
  killProcesses();
  rmSync(dir, { recursive: true, force: true });
});

const categories = testTask([1, 2]);
const measurements = Array.from({ length: 7 }, (_, i) => [1, i, 2 * i, i % 2, 3, i + 1]);
const plainSums = measurements.reduce((acc, m) => acc.map((x, i) => x + m[i]!));

describe('the leader process (npm run union -- leader)', () => {
  it('kill -9 between the helper answer and the commit: after a restart on the same folder every accepted upload is aggregated exactly once', async () => {
    const pair = await startProcessPair(dir, categories, {});
    const first = await pair.startLeader({
      LEADER_TEST_HOLD_BEFORE_COMMIT: '1',
      // The killed leader's job is retryable at once by the restarted one (no waiting for a lease).
      LEADER_LEASE_SECONDS: '0',
      LEADER_MAX_REPORTS_PER_JOB: '3',
    });
    expect(await (await fetch(`${first.url}/healthz`)).json()).toEqual({ ok: true });
    const leaderConfigs = await helperConfigs(first.url, pair.taskId);
    await uploadReports(pair, first.url, measurements);
    await first.waitFor(/test hold: a job is waiting before its commit/);
    const killed = once(first.child, 'exit');
    first.child.kill('SIGKILL');
    expect((await killed)[1]).toBe('SIGKILL');

    const second = await pair.startLeader({ LEADER_MAX_REPORTS_PER_JOB: '3' });
    expect(await helperConfigs(second.url, pair.taskId)).toEqual(leaderConfigs);
    await settledReports([second], measurements.length);
    expect(await stopProcess(second.child)).toBe(0);

    const db = await leaderSchema.open({
      driver: 'pglite',
      dataDir: path.join(dir, 'leader', 'db'),
    });
    try {
      const { reports, jobs } = await leaderOutcomes(db);
      expect(reports).toEqual({ finished: measurements.length });
      // The job held at the kill was claimed twice (once by each process) and applied once.
      expect(jobs[0]).toEqual({ state: 'finished', attempts: 2 });
      expect(jobs.slice(1).every((j) => j.state === 'finished' && j.attempts === 1)).toBe(true);
      expect(await collectYesterday(pair, db)).toEqual({
        count: measurements.length,
        sums: plainSums,
      });
    } finally {
      await db.close();
    }
    expect(await stopProcess(pair.helper.child)).toBe(0);
  }, 180_000);

  it("reads its own variables, never the union's DATABASE_URL; defaults for the loop", async () => {
    expect(() => leaderOptionsFromEnv({})).toThrow(/LEADER_TASK_FILE: required/);
    const collector = await generateHpkeKeypair(2);
    const file = path.join(dir, 'env-task.json');
    const task = {
      taskId: Buffer.alloc(32).toString('base64url'),
      helperUrl: 'http://127.0.0.1:8788/',
      verifyKey: Buffer.alloc(16).toString('base64url'),
      vdaf: categories.vdaf,
      timePrecisionSeconds: 86_400,
      tolerableClockSkewSeconds: 60,
      minBatchSize: 2,
      aggregatorAuthToken: 'env-test-token-0123456789',
      collectorHpkeConfig: Buffer.from(encode(hpkeConfigCodec, collector.config)).toString(
        'base64url',
      ),
    };
    writeFileSync(file, JSON.stringify(task));
    const union = 'postgres://union@127.0.0.1/crowdsell';
    const pglite = leaderOptionsFromEnv({ LEADER_TASK_FILE: file, DATABASE_URL: union });
    expect(pglite.database).toEqual({
      driver: 'pglite',
      dataDir: path.join('.crowdsell-leader', 'db'),
    });
    expect(pglite.port).toBe(8789);
    expect(pglite.aggregation).toEqual({
      intervalSeconds: 10,
      maxReportsPerJob: 100,
      leaseSeconds: 600,
      maxBackoffSeconds: 300,
      holdBeforeCommit: false,
    });
    expect(pglite.task.helperUrl).toBe('http://127.0.0.1:8788');
    expect(pglite.task.reportExpiryAgeSeconds).toBe(14 * 86_400);
    const own = 'postgres://leader@127.0.0.1/leader';
    const postgres = leaderOptionsFromEnv({
      LEADER_TASK_FILE: file,
      DATABASE_URL: union,
      LEADER_DATABASE_URL: own,
    });
    expect(postgres.database).toEqual({ driver: 'postgres', url: own });
    expect(() =>
      leaderOptionsFromEnv({ LEADER_TASK_FILE: file, LEADER_MAX_BACKOFF_SECONDS: '0' }),
    ).toThrow(/LEADER_MAX_BACKOFF_SECONDS/);
    expect(() =>
      leaderOptionsFromEnv({ LEADER_TASK_FILE: file, LEADER_MAX_ATTEMPTS: '10' }),
    ).toThrow(
      /LEADER_MAX_ATTEMPTS: removed: a transient helper failure is now retried until the reports expire/,
    );
    // The test-only hold is refused outside tests: it would make every job hang.
    const hold = { LEADER_TASK_FILE: file, LEADER_TEST_HOLD_BEFORE_COMMIT: '1' };
    expect(() => leaderOptionsFromEnv({ ...hold, NODE_ENV: 'production' })).toThrow(
      /LEADER_TEST_HOLD_BEFORE_COMMIT is for tests only/,
    );
    expect(() => leaderOptionsFromEnv(hold)).toThrow(/tests only/);
    expect(leaderOptionsFromEnv({ ...hold, NODE_ENV: 'test' }).aggregation.holdBeforeCommit).toBe(
      true,
    );
    expect(pglite.task.memberSignatures).toBeNull();
    // A task file naming a union requires its members' signatures (membership from its log).
    const dataUnion = `0x${'ab'.repeat(20)}`;
    const signing = { unionUrl: 'https://union.example/v1', chainId: 100, dataUnion };
    expect(parseLeaderTask({ ...task, memberSignatures: signing }).memberSignatures).toEqual({
      domain: { name: 'Crowdsell', version: '1', chainId: 100, verifyingContract: dataUnion },
      unionUrl: 'https://union.example',
    });
    expect(() =>
      parseLeaderTask({
        ...task,
        memberSignatures: { ...signing, unionUrl: 'http://union.example' },
      }),
    ).toThrow(/memberSignatures.unionUrl must be an https URL/);
    expect(() => parseLeaderTask({ ...task, helperUrl: 'ftp://x' })).toThrow(/helperUrl/);
    expect(() => parseLeaderTask({ ...task, leaderUrl: 'http://x/' })).toThrow(
      /leader task file is not valid/,
    );
  });
});
