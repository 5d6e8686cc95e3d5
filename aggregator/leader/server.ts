/**
 * The leader's HTTP server for one task, built from a list of route plugins over one context
 * (the task, the leader's database, its HPKE keys, the clock): `GET /hpke_config`, the upload
 * route over the leader's report store, the collector's collection job routes, the union's read
 * of finished contributions (`contributions-route.ts`) and `GET /healthz`. A new leader route is one more entry in `leaderRoutes`. Starting it (ports,
 * files, environment, the aggregation loop) is `run-leader.ts`; tests build it directly.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Db } from '../../shared-db/db.ts';
import type { HpkeKeypair } from '../dap/hpke.ts';
import { hpkeConfigRoute } from '../dap/hpke-config-route.ts';
import { loadOrCreateKeypairs } from '../db/hpke-keys.ts';
import { collectionJobRoute } from './collection-job-route.ts';
import { contributionsRoute } from './contributions-route.ts';
import { sqlCollectionStore } from './db/sql-collection-store.ts';
import { sqlReportStore } from './db/sql-report-store.ts';
import type { MemberSignaturePolicy } from '../membership/verify-member-report.ts';
import type { LeaderTaskDefinition } from './task-definition.ts';
import { uploadRoute } from './upload-route.ts';

export interface LeaderRouteContext {
  readonly task: LeaderTaskDefinition;
  readonly db: Db;
  /** The leader's HPKE keys, newest first (read per request). */
  readonly keypairs: () => readonly HpkeKeypair[];
  /** Seconds since the Unix epoch (injected: tests never depend on when they run). */
  readonly now: () => number;
  /** Set: uploads must be signed by a member of the union, one per member and epoch. */
  readonly memberSignatures?: MemberSignaturePolicy | undefined;
}

/** Registers one part of the leader's API on the server. */
export type LeaderRoute = (app: FastifyInstance, context: LeaderRouteContext) => void;

const hpkeConfig: LeaderRoute = (app, { task, keypairs }) =>
  hpkeConfigRoute(app, { taskId: task.taskId, keypairs });

const upload: LeaderRoute = (app, { task, db, keypairs, now, memberSignatures }) =>
  uploadRoute(app, {
    taskId: task.taskId,
    // Prio3 with joint randomness: one XOF seed per aggregator.
    publicShareLength: 2 * task.vdaf.xof.seedSize,
    tolerableClockSkewSeconds: task.tolerableClockSkewSeconds,
    keypairs,
    store: sqlReportStore(db, task.taskId, task.timePrecisionSeconds),
    now,
    memberSignatures,
    window: { reportExpiryAgeSeconds: task.reportExpiryAgeSeconds },
  });

const collectionJobs: LeaderRoute = (app, { task, db }) =>
  collectionJobRoute(app, {
    taskId: task.taskId,
    collectorAuthToken: task.collectorAuthToken,
    timePrecisionSeconds: task.timePrecisionSeconds,
    store: sqlCollectionStore(db, task.vdaf, task.taskId, task),
  });

/** Liveness for a load balancer: the process serves and its database answers. */
const healthz: LeaderRoute = (app, { db }) =>
  app.get('/healthz', async () => {
    await db.query('SELECT 1');
    return { ok: true };
  });

/** Every route the leader serves, in registration order. */
export const leaderRoutes: readonly LeaderRoute[] = [
  hpkeConfig,
  upload,
  collectionJobs,
  contributionsRoute,
  healthz,
];

export async function buildLeaderServer(
  task: LeaderTaskDefinition,
  db: Db,
  options: {
    readonly now: () => number;
    readonly logger?: boolean;
    readonly routes?: readonly LeaderRoute[];
    readonly memberSignatures?: MemberSignaturePolicy | undefined;
  },
): Promise<FastifyInstance> {
  const keys = await loadOrCreateKeypairs(db);
  const context: LeaderRouteContext = {
    task,
    db,
    keypairs: () => keys,
    now: options.now,
    memberSignatures: options.memberSignatures,
  };
  const app = Fastify({ logger: options.logger ?? false });
  for (const route of options.routes ?? leaderRoutes) route(app, context);
  return app;
}
