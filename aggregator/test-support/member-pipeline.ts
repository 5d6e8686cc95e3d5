/**
 * Both aggregators under a task that requires member signatures, as in production but in one
 * process: the leader's upload route (Fastify, injected requests) over its report store, its
 * aggregation driver, and the helper server on 127.0.0.1, each on its own database, both checking
 * signatures against one membership log. Reports come from our member report builder.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { Buffer } from 'node:buffer';
import type { Wallet } from 'ethers';
import type { LogEntry } from '../../extension/protocol/membership-log.ts';
import type { Db } from '../../shared-db/db.ts';
import type { MemberReport, MemberReportTask } from '../client/member-report.ts';
import { buildMemberReport } from '../client/member-report.ts';
import { MEDIA_TYPES } from '../dap/upload.ts';
import { taskIdToString } from '../dap/task-id.ts';
import { loadOrCreateKeypairs } from '../db/hpke-keys.ts';
import { helperSchema } from '../helper/db/schema.ts';
import { sqlHelperStore } from '../helper/db/sql-store.ts';
import { buildHelperServer } from '../helper/server.ts';
import type { HelperTaskDefinition } from '../helper/task-definition.ts';
import { aggregationDriver, type AggregationDriverOptions } from '../leader/aggregation-driver.ts';
import { leaderSchema } from '../leader/db/schema.ts';
import { sqlReportStore } from '../leader/db/sql-report-store.ts';
import type { LeaderReportStore } from '../leader/report-store.ts';
import { uploadRoute } from '../leader/upload-route.ts';
import type { MembershipSource } from '../membership/membership-source.ts';
import type { MemberSignaturePolicy } from '../membership/verify-member-report.ts';
import type { FreshDb } from './databases.ts';
import { newHelperTask } from './helper-task.ts';
import { signaturePolicy, testDomain } from './member-reports.ts';
import type { Prio3SumVec } from '@divviup/prio3';

const DAY = 86_400;
const TOKEN = 'a-test-token-of-sufficient-length';

export interface MemberPipeline {
  readonly leaderDb: Db;
  readonly helperDb: Db;
  readonly helperTask: HelperTaskDefinition;
  /** What a member's client needs: task id, VDAF, both HPKE configs, the union domain. */
  readonly clientTask: MemberReportTask;
  readonly store: LeaderReportStore;
  readonly policy: MemberSignaturePolicy;
  /** The driver's options; `task.memberSignatures` set (the leader checks again in the job). */
  readonly driver: AggregationDriverOptions;
  /** `PUT /tasks/{task}/reports` on the leader: the status and, if refused, the problem. */
  upload(bytes: Uint8Array): Promise<{ status: number; type?: string; detail?: string }>;
  report(measurement: readonly number[], time: number, by: Wallet | null): Promise<MemberReport>;
  /** Each aggregator's batch over [start, start + DAY). */
  batches(start: number): Promise<{ leader: BatchView; helper: BatchView }>;
  close(): Promise<void>;
}

interface BatchView {
  readonly reportCount: number;
  readonly aggregateShare: readonly bigint[];
}

export async function startMemberPipeline(
  fresh: FreshDb,
  vdaf: Prio3SumVec,
  log: readonly LogEntry[],
  now: number,
  /** Instead of the log in memory (e.g. one that cannot answer yet). */
  membership?: MembershipSource,
): Promise<MemberPipeline> {
  const policy = { ...signaturePolicy(log, DAY), ...(membership ? { membership } : {}) };
  const { task: helperTask } = await newHelperTask(vdaf, TOKEN);
  const { taskId, verifyKey } = helperTask;
  const helperDb = await fresh(helperSchema);
  const helper = await buildHelperServer(helperTask, helperDb, {
    now: () => now,
    memberSignatures: policy,
  });
  const url = await helper.listen({ port: 0, host: '127.0.0.1' });
  const leaderDb = await fresh(leaderSchema);
  const keypairs = await loadOrCreateKeypairs(leaderDb);
  const store = sqlReportStore(leaderDb, taskId, DAY);
  const leader: FastifyInstance = Fastify();
  uploadRoute(leader, {
    taskId,
    publicShareLength: 2 * vdaf.xof.seedSize,
    tolerableClockSkewSeconds: 60,
    keypairs: () => keypairs,
    store,
    now: () => now,
    memberSignatures: policy,
  });
  const clientTask: MemberReportTask = {
    taskId,
    vdaf,
    timePrecisionSeconds: DAY,
    leaderHpkeConfig: keypairs[0]!.config,
    helperHpkeConfig: (await loadOrCreateKeypairs(helperDb))[0]!.config,
    domain: testDomain,
  };
  const driver: AggregationDriverOptions = {
    db: leaderDb,
    task: { vdaf, taskId, verifyKey, keypairs, memberSignatures: policy },
    timePrecisionSeconds: DAY,
    helper: { url, token: TOKEN },
    fetch: (input, init) => fetch(input, init),
    now: () => now,
    maxReportsPerJob: 10,
    leaseSeconds: 600,
  };
  const helperStore = sqlHelperStore(helperDb, vdaf, taskId, DAY);
  return {
    leaderDb,
    helperDb,
    helperTask,
    clientTask,
    store,
    policy,
    driver,
    async upload(bytes) {
      const response = await leader.inject({
        method: 'PUT',
        url: `/tasks/${taskIdToString(taskId)}/reports`,
        headers: { 'content-type': MEDIA_TYPES.report },
        payload: Buffer.from(bytes),
      });
      if (response.statusCode === 200) return { status: 200 };
      const problem = response.json<{ type: string; detail: string }>();
      return { status: response.statusCode, type: problem.type, detail: problem.detail };
    },
    report: (measurement, time, by) =>
      buildMemberReport(clientTask, {
        measurement,
        time,
        signedBy: by === null ? null : { member: by.address, signer: by },
      }),
    async batches(start) {
      return {
        leader: await aggregationDriver(driver).batch(start, start + DAY),
        helper: await helperStore.batch({ start, duration: DAY }),
      };
    },
    async close() {
      await leader.close();
      await helper.close();
      await helperDb.close();
      await leaderDb.close();
    },
  };
}
