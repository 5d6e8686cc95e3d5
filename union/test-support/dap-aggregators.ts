/**
 * The two DAP aggregators beside a test union, as in production but in this process: the real
 * leader server (`buildLeaderServer`: upload, collection jobs, contributions) and the real helper
 * server, each on 127.0.0.1 with its own database, both requiring member signatures checked against
 * the union's own public membership log over HTTP. `runLeader()` does what the leader process's
 * loop does in one pass (aggregation jobs until none is left, then every due collection job), so a
 * test decides when the leader works; every clock is the test's.
 */
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import type { Wallet } from 'ethers';
import type { FastifyInstance } from 'fastify';

import { buildMemberReport, type MemberReportTask } from '../../aggregator/client/member-report.ts';
import { encode } from '../../aggregator/dap/codec.ts';
import { generateHpkeKeypair, type HpkeKeypair } from '../../aggregator/dap/hpke.ts';
import { taskIdToString } from '../../aggregator/dap/task-id.ts';
import { hpkeConfigCodec, MEDIA_TYPES } from '../../aggregator/dap/upload.ts';
import { loadOrCreateKeypairs } from '../../aggregator/db/hpke-keys.ts';
import { helperSchema } from '../../aggregator/helper/db/schema.ts';
import { buildHelperServer } from '../../aggregator/helper/server.ts';
import type { HelperTaskDefinition } from '../../aggregator/helper/task-definition.ts';
import { aggregationDriver } from '../../aggregator/leader/aggregation-driver.ts';
import { collectionDriver } from '../../aggregator/leader/collection-driver.ts';
import { leaderSchema } from '../../aggregator/leader/db/schema.ts';
import { buildLeaderServer } from '../../aggregator/leader/server.ts';
import type { LeaderTaskDefinition } from '../../aggregator/leader/task-definition.ts';
import { memberSignaturePolicy } from '../../aggregator/membership/member-policy.ts';
import type { FreshDb } from '../../aggregator/test-support/databases.ts';
import { clipBoundsOf } from '../../aggregator/vdaf/central-noise.ts';
import { categoryTask, sumVecFor } from '../../aggregator/vdaf/task.ts';
import {
  aggregationFor,
  type AggregationBlock,
} from '../../extension/protocol/config-aggregation.ts';
import type { UnionConfig } from '../../extension/protocol/config.ts';
import type { UnionDomain } from '../../extension/protocol/eip712.ts';
import { seededRandom } from '../../extension/protocol/noise-seeded-random.ts';
import type { Db } from '../db/db.ts';
import { collectorSecretsOf, type CollectorSecrets } from '../collector/collector-secrets.ts';

export interface DapAggregators {
  /** The config's aggregation block for these two servers (central ε as given). */
  block(config: Omit<UnionConfig, 'aggregation'>, centralEpsilon: number): AggregationBlock;
  readonly leaderDb: Db;
  readonly helperDb: Db;
  readonly taskId: Uint8Array;
  /** A member's report built by the member report builder, uploaded to the leader: the status. */
  upload(measurement: readonly number[], time: number, member: Wallet): Promise<number>;
  /** One pass of the leader's loop: aggregation jobs until none is left, then collection jobs. */
  runLeader(): Promise<void>;
  close(): Promise<void>;
}

export interface DapAggregatorOptions {
  readonly fresh: FreshDb;
  /** The categories and clip bounds the task counts (a config without its aggregation block). */
  readonly config: Omit<UnionConfig, 'aggregation'>;
  readonly unionUrl: string;
  readonly domain: UnionDomain;
  /** Seconds since the Unix epoch: the test's clock. */
  readonly now: () => number;
  /** Central ε each aggregator adds noise for; null: none (sums exact). */
  readonly centralEpsilon: number | null;
  /** Seeds for the leader's and the helper's noise (default: the OS CSPRNG). */
  readonly noiseSeeds?: { readonly leader: number; readonly helper: number };
  readonly collector: TestCollector;
}

/** The union's collector identity: the keypair the aggregators seal to and the leader's token. */
export interface TestCollector {
  readonly keypair: HpkeKeypair;
  readonly token: string;
  /** What the union takes as `collector` (COLLECTOR_SECRETS_FILE's fields). */
  readonly secrets: CollectorSecrets;
}

export async function newTestCollector(): Promise<TestCollector> {
  const keypair = await generateHpkeKeypair(9);
  const token = randomBytes(24).toString('base64url');
  const secrets = collectorSecretsOf(token, keypair, encode(hpkeConfigCodec, keypair.config));
  return { keypair, token, secrets };
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

async function listen(app: FastifyInstance): Promise<string> {
  return app.listen({ port: 0, host: '127.0.0.1' });
}

export async function startDapAggregators(options: DapAggregatorOptions): Promise<DapAggregators> {
  const { config, now } = options;
  const categories = categoryTask(config);
  const vdaf = sumVecFor(categories);
  const { keypair: collector, token: collectorToken } = options.collector;
  const aggregatorToken = randomBytes(24).toString('base64url');
  const pins = { domain: options.domain, unionUrl: options.unionUrl };
  const shared = {
    taskId: new Uint8Array(randomBytes(32)),
    vdaf,
    verifyKey: new Uint8Array(randomBytes(16)),
    timePrecisionSeconds: config.epochSeconds,
    tolerableClockSkewSeconds: 60,
    minBatchSize: config.privacy.kThreshold,
    aggregatorAuthToken: aggregatorToken,
    collectorHpkeConfig: collector.config,
    centralEpsilon: options.centralEpsilon,
    clipBounds: options.centralEpsilon === null ? null : clipBoundsOf(categories),
    memberSignatures: pins,
  };
  const policy = memberSignaturePolicy(pins, config.epochSeconds, now);

  const helperDb = await options.fresh(helperSchema);
  const leaderDb = await options.fresh(leaderSchema);
  const helperTask: HelperTaskDefinition = { ...shared, leaderUrl: 'http://127.0.0.1:1/' };
  const seeds = options.noiseSeeds;
  const helper = await buildHelperServer(helperTask, helperDb, {
    now,
    memberSignatures: policy,
    ...(seeds ? { random: seededRandom(seeds.helper) } : {}),
  });
  const helperUrl = await listen(helper);
  const leaderTask: LeaderTaskDefinition = {
    ...shared,
    helperUrl,
    reportExpiryAgeSeconds: 14 * 86_400,
    collectorAuthToken: collectorToken,
  };
  const leader = await buildLeaderServer(leaderTask, leaderDb, { now, memberSignatures: policy });
  const leaderUrl = await listen(leader);
  const leaderKeys = await loadOrCreateKeypairs(leaderDb);
  const helperKeys = await loadOrCreateKeypairs(helperDb);
  const helperEndpoint = { url: helperUrl, token: aggregatorToken };
  const aggregation = aggregationDriver({
    db: leaderDb,
    task: { ...leaderTask, keypairs: leaderKeys, memberSignatures: policy },
    timePrecisionSeconds: config.epochSeconds,
    helper: helperEndpoint,
    fetch: (input, init) => fetch(input, init),
    now,
    maxReportsPerJob: 10,
    leaseSeconds: 600,
    reportExpiryAgeSeconds: leaderTask.reportExpiryAgeSeconds,
  });
  const collection = collectionDriver({
    db: leaderDb,
    task: leaderTask,
    helper: helperEndpoint,
    fetch: (input, init) => fetch(input, init),
    now,
    leaseSeconds: 600,
    ...(seeds ? { random: seededRandom(seeds.leader) } : {}),
  });
  const clientTask: MemberReportTask = {
    taskId: shared.taskId,
    vdaf,
    timePrecisionSeconds: config.epochSeconds,
    leaderHpkeConfig: leaderKeys[0]!.config,
    helperHpkeConfig: helperKeys[0]!.config,
    domain: options.domain,
  };

  return {
    block: (plain, centralEpsilon) =>
      aggregationFor(plain, {
        taskId: b64(shared.taskId),
        leaderUrl: `${leaderUrl}/`,
        helperUrl: `${helperUrl}/`,
        helperHpkeConfig: b64(encode(hpkeConfigCodec, helperKeys[0]!.config)),
        leaderHpkeConfig: b64(encode(hpkeConfigCodec, leaderKeys[0]!.config)),
        centralEpsilon,
      }),
    leaderDb,
    helperDb,
    taskId: shared.taskId,
    async upload(measurement, time, member) {
      const { bytes } = await buildMemberReport(clientTask, {
        measurement,
        time,
        signedBy: { member: member.address, signer: member },
      });
      const response = await fetch(`${leaderUrl}/tasks/${taskIdToString(shared.taskId)}/reports`, {
        method: 'PUT',
        headers: { 'content-type': MEDIA_TYPES.report },
        body: Buffer.from(bytes),
      });
      return response.status;
    },
    async runLeader() {
      while ((await aggregation.runOne()) !== null);
      while ((await collection.runOne()) !== null);
    },
    async close() {
      await leader.close();
      await helper.close();
      await leaderDb.close();
      await helperDb.close();
    },
  };
}
