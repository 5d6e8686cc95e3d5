/**
 * The union server as a library: `createUnionServer(options)` wires database, services and HTTP
 * without listening (tests use `app.inject` or `listen`), `startUnion(options)` also listens and
 * is what `npm run union -- serve` and `npm start` call. Closing stops accepting, lets in-flight
 * report commits finish, then closes the worker threads and the database (if we opened it).
 */
import type { FastifyInstance } from 'fastify';

import { unionDomain, type UnionDomain } from '../extension/protocol/eip712.ts';
import { createReportDigester } from '../extension/protocol/report-digest.ts';
import { resolveOptions, type ResolvedOptions, type UnionOptionsInput } from './config/options.ts';
import { unionPrivacyLimits } from './config/privacy-limits.ts';
import {
  createRecoverPool,
  type RecoverPool,
  type RecoverPoolStats,
} from './crypto/recover-pool.ts';
import { createRecoverer } from './crypto/recover.ts';
import type { Db } from './db/db.ts';
import { migrate } from './db/migrate.ts';
import { openDb } from './db/open-db.ts';
import { TokenBuckets } from './domain/token-bucket.ts';
import { buildHttp } from './http/build-http.ts';
import type { UnionContext } from './http/context.ts';
import { createReadCaches } from './http/response-cache.ts';
import { Metrics } from './http/metrics.ts';
import { AdminAuth } from './services/admin-auth.ts';
import { ConfigService } from './services/config-service.ts';
import { MembershipService } from './services/membership-service.ts';
import { ProductAccess } from './services/product-access.ts';
import { ProductService } from './services/product-service.ts';
import { dapProductJobs } from './jobs/dap-product-jobs.ts';
import { ReportIngest } from './services/report-ingest.ts';
import { ReportWriter } from './services/report-writer.ts';
import { ChainClient } from './chain/chain-client.ts';
import { EarningsService } from './chain/earnings-service.ts';
import { MonoplasmaJobs } from './jobs/monoplasma-jobs.ts';
import { WithdrawalReconciler } from './jobs/withdrawal-reconciler.ts';
import { ReportRetention } from './jobs/retention.ts';
import { withOperatorKeyLock } from './repo/monoplasma-repo.ts';
import { closeMerkleWorkers } from './monoplasma/merkle.ts';

export type { UnionOptionsInput as UnionOptions } from './config/options.ts';

export interface UnionServer {
  app: FastifyInstance;
  db: Db;
  options: ResolvedOptions;
  domain: UnionDomain;
  metrics: Metrics;
  /** The data product: `product.aggregateNow()` runs the aggregation job on demand. */
  product: ProductService;
  /** Revenue watcher + committer (issue 7); null without `options.chain`. */
  monoplasma: MonoplasmaJobs | null;
  /** Settles relayed withdrawals from the chain (`tick()` on demand); null without `options.chain`. */
  withdrawals: WithdrawalReconciler | null;
  /** Deletes reports of published epochs (`runNow()` on demand); null when kept for ever. */
  retention: ReportRetention | null;
  /**
   * 'native' or 'js', how many recovery threads (0 = on the main thread), and the pool's message
   * counters (benchmarks print how many recoveries a message carried).
   */
  recovery: { kind: 'native' | 'js'; threads: number; stats(): RecoverPoolStats | null };
  /** Listens on options.host/port; resolves to the base URL (e.g. http://127.0.0.1:8787). */
  listen(): Promise<string>;
  close(): Promise<void>;
}

const MINUTE = 60_000;

export async function createUnionServer(input: UnionOptionsInput): Promise<UnionServer> {
  const options = resolveOptions(input);
  const ownDb = !options.db;
  const db = options.db ?? (await openDb(options.database));
  if (!ownDb) await migrate(db);
  const now = options.now;
  const domain = unionDomain(options.chainId, options.dataUnion);
  const metrics = new Metrics();
  let publicUrl = input.publicUrl ?? options.publicUrl;

  const recoverer = await createRecoverer();
  let pool: RecoverPool | null = null;
  if (recoverer.kind === 'native' && options.recoverThreads > 0) {
    pool = await createRecoverPool(options.recoverThreads);
  }
  const recover = pool
    ? pool.recover.bind(pool)
    : (digest: Uint8Array, sig: Parameters<typeof recoverer.recover>[1]) =>
        Promise.resolve(recoverer.recover(digest, sig));

  const configs = new ConfigService(db, {
    domain,
    admin: options.admin,
    now,
    limits: unionPrivacyLimits(options),
  });
  const writer = new ReportWriter(db, {
    maxBatch: options.maxWriteBatch,
    concurrency: db.driver === 'pglite' ? 1 : Math.min(options.writeConcurrency, db.parallelism),
    now,
    activityBatchSeconds: options.activityBatchSeconds,
    onCommit: () => metrics.inc('crowdsell_report_commits_total'),
  });
  const limits = options.rateLimits;
  const product = new ProductService(db, {
    acceptanceWindowSeconds: options.acceptanceWindowSeconds,
    graceSeconds: options.productGraceSeconds,
    intervalMs: options.productIntervalMs,
    now,
    dap: dapProductJobs(db, options, (message) => app.log.warn(message)),
  });
  const buckets = (capacity: number) => new TokenBuckets({ capacity, periodMs: MINUTE, now });
  const chainOptions = options.chain;
  // Instances sharing a PostgreSQL database may share the operator key: serialise their sends.
  // PGlite is single-process, where ChainClient's own queue is enough.
  const chain = chainOptions
    ? new ChainClient(
        { ...chainOptions, dataUnion: options.dataUnion },
        db.driver === 'postgres' ? withOperatorKeyLock(db) : undefined,
      )
    : null;
  const reconciler =
    chain && chainOptions
      ? new WithdrawalReconciler(db, chain, {
          intervalMs: chainOptions.withdrawalCheckIntervalMs ?? chainOptions.pollIntervalMs,
          droppedAfterSeconds: chainOptions.withdrawalDroppedAfterSeconds,
          now,
          log: (message, error) => app.log.error({ err: error }, message),
        })
      : null;
  const earnings =
    chain && chainOptions && reconciler
      ? new EarningsService(db, chain, domain, {
          minimum: chainOptions,
          admin: options.admin,
          now,
          reconciler,
        })
      : null;
  const ctx: UnionContext = {
    options,
    publicUrl: () => publicUrl,
    domain,
    db,
    configs,
    membership: new MembershipService(db, now),
    recover,
    auth: new AdminAuth(db, {
      chainId: options.chainId,
      admin: options.admin,
      sessionTtlMs: options.sessionTtlSeconds * 1000,
      publicUrl: () => publicUrl,
      now,
    }),
    ingest: new ReportIngest({
      configs,
      digester: await createReportDigester(domain),
      recover,
      writer,
      memberLimit: buckets(limits.reportsPerMember),
      metrics,
      now,
      acceptanceWindowSeconds: options.acceptanceWindowSeconds,
    }),
    metrics,
    product,
    productAccess: new ProductAccess(db, {
      chainId: options.chainId,
      sessionTtlMs: options.sessionTtlSeconds * 1000,
      publicUrl: () => publicUrl,
      now,
      chain: options.product,
    }),
    ...(earnings && chainOptions
      ? {
          monoplasma: {
            earnings,
            withdrawalsPerMember: buckets(chainOptions.withdrawalsPerMember),
          },
        }
      : {}),
    limits: {
      joinsPerIp: buckets(limits.joinsPerIp),
      reportRequestsPerIp: buckets(limits.reportRequestsPerIp),
      adminPerIp: buckets(limits.adminPerIp),
      recoveriesPerIp: new TokenBuckets({
        capacity: limits.recoveriesPerIpPerSecond,
        periodMs: 1000,
        now,
      }),
      publicReadsPerIp: buckets(limits.publicReadsPerIp),
    },
    readCaches: createReadCaches(options.readCache, now),
  };

  if (options.initialConfig) {
    try {
      if (!(await configs.current())) await configs.publish(options.initialConfig);
    } catch (error) {
      await pool?.close();
      if (ownDb) await db.close();
      throw new Error(
        `The initial config was refused: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }

  const app = buildHttp(ctx);
  // A published epoch changes the product summary and, in time, the sample.
  product.onPublished(() => ctx.readCaches.product.invalidate());
  product.start((error) => app.log.error({ err: error }, 'product aggregation failed'));
  const monoplasma =
    chain && chainOptions
      ? new MonoplasmaJobs(db, chain, {
          dataUnion: options.dataUnion,
          admin: options.admin,
          startBlock: chainOptions.startBlock,
          activityWindowSeconds: options.activityWindowSeconds,
          minMembershipAgeSeconds: chainOptions.minMembershipAgeSeconds,
          pollIntervalMs: chainOptions.pollIntervalMs,
          commitPeriodSeconds: chainOptions.commitPeriodSeconds,
          publicUrl: () => publicUrl,
          now,
          log: (message, error) => app.log.error({ err: error }, message),
          // The own validator reads this union's public endpoints without a network hop.
          fetchJson: async (url) => {
            const { pathname, search } = new URL(url, 'http://union.invalid');
            const res = await app.inject({ method: 'GET', url: pathname + search });
            if (res.statusCode !== 200)
              throw new Error(`GET ${pathname} answered ${res.statusCode}.`);
            return res.json<unknown>();
          },
          // Trees of the usable and next frozen roots, built before a member asks (D-049).
          ...(earnings ? { prepareRoots: () => earnings.prepareRoots() } : {}),
        })
      : null;
  monoplasma?.start();
  reconciler?.start();
  const retention =
    options.reportKeepSeconds === null
      ? null
      : new ReportRetention(db, {
          acceptanceWindowSeconds: options.acceptanceWindowSeconds,
          graceSeconds: options.productGraceSeconds,
          keepSeconds: options.reportKeepSeconds,
          batchRows: 5000,
          intervalMs: options.retentionIntervalMs,
          now,
          log: (message, error) => app.log.error({ err: error }, message),
        });
  retention?.start();
  let closed = false;
  return {
    app,
    db,
    options,
    domain,
    metrics,
    product,
    monoplasma,
    withdrawals: reconciler,
    retention,
    recovery: {
      kind: recoverer.kind,
      threads: pool?.threads ?? 0,
      stats: () => pool?.stats() ?? null,
    },
    async listen() {
      await app.listen({ host: options.host, port: options.port });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      const host = options.host.includes(':') ? `[${options.host}]` : options.host;
      const url = `http://${host}:${port}`;
      if (!input.publicUrl) publicUrl = url;
      return url;
    },
    async close() {
      if (closed) return;
      closed = true;
      await monoplasma?.stop();
      await reconciler?.stop();
      await retention?.stop();
      chain?.destroy();
      await product.stop();
      await app.close();
      await writer.drain();
      await pool?.close();
      // Process-wide Merkle workers (committer, proofs, own validator): a later build restarts them.
      if (monoplasma) await closeMerkleWorkers();
      if (ownDb) await db.close();
    },
  };
}

/** Creates the server and listens; resolves once it accepts connections. */
export async function startUnion(input: UnionOptionsInput): Promise<UnionServer & { url: string }> {
  const server = await createUnionServer(input);
  try {
    const url = await server.listen();
    return Object.assign(server, { url });
  } catch (error) {
    await server.close();
    throw error;
  }
}
