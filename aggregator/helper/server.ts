/**
 * The helper's HTTP server for one task: `GET /hpke_config`, the aggregation job route and the
 * aggregate share route, over the helper's own database. Starting it (ports, files, environment)
 * is `run-helper.ts`; tests build it directly.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Db } from '../../shared-db/db.ts';
import { loadOrCreateKeypairs } from '../db/hpke-keys.ts';
import { cryptoUniform, shareNoiseFor, type ShareNoise } from '../vdaf/central-noise.ts';
import type { UniformRandom } from '../../extension/protocol/noise.ts';
import { hpkeConfigRoute } from '../dap/hpke-config-route.ts';
import { aggregateShareRoute } from './aggregate-share-route.ts';
import { aggregationJobRoute } from './aggregation-job-route.ts';
import { sqlHelperStore } from './db/sql-store.ts';
import type { MemberSignaturePolicy } from '../membership/verify-member-report.ts';
import type { HelperTaskDefinition } from './task-definition.ts';

export async function buildHelperServer(
  task: HelperTaskDefinition,
  db: Db,
  /**
   * `now`: seconds since the Unix epoch (injected: tests never depend on when they run);
   * `random`: the central noise's uniform source (the OS CSPRNG unless a test seeds one).
   */
  options: {
    readonly now: () => number;
    readonly logger?: boolean;
    readonly random?: UniformRandom;
    /** Set: reports must be signed by a member of the union, one per member and epoch. */
    readonly memberSignatures?: MemberSignaturePolicy;
  },
): Promise<FastifyInstance> {
  const keys = await loadOrCreateKeypairs(db);
  const keypairs = () => keys;
  const store = sqlHelperStore(db, task.vdaf, task.taskId, task.timePrecisionSeconds);
  const app = Fastify({ logger: options.logger ?? false });
  hpkeConfigRoute(app, { taskId: task.taskId, keypairs });
  const { now, memberSignatures } = options;
  aggregationJobRoute(app, { task, keypairs, store, now, memberSignatures });
  aggregateShareRoute(app, { task, store, noise: helperNoise(task, options.random) });
  return app;
}

/** The helper's central noise for `task` (off when its `centralEpsilon` is null). */
export function helperNoise(
  task: HelperTaskDefinition,
  random: UniformRandom = cryptoUniform,
): ShareNoise {
  return shareNoiseFor(task, random);
}
