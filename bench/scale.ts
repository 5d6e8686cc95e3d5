/**
 * `npm run bench:scale [-- --members 10000,100000]` (issue 19): one simulated day of a union with
 * N members, measured, printing one JSON line per N and a last line with the ratios between the
 * largest and the smallest N. Per N, on a fresh database of one throwaway PostgreSQL cluster
 * (127.0.0.1, stopped at the end) and a fresh local chain (hardhat, in process), with two union
 * instances on that database: one in this process, one in a process of its own
 * (bench/scale-instance.ts). Each load phase sends its first half to the first instance alone and
 * its second half to both (the load generator's clients alternate between them, as a load
 * balancer would), so each line carries the two-instances ÷ one-instance throughput ratio:
 *
 *  1. join: N members with real keys (bench/scale-members.ts, cached on disk). All but the last
 *     BENCH_ENDPOINT_JOINS (default 2,000) are written in bulk as a join writes them (setup,
 *     bench/scale-seed.ts); the last ones sign a join request and send it with the app secret to
 *     POST /v1/join (64 concurrent clients, a separate process, random order): the join cost at
 *     N members. Concurrent joins share a transaction (services/join-group.ts);
 *  2. ingest: each sends one signed report for the day just closed to POST /v1/reports (256
 *     concurrent clients, random order, as the extension's randomised send times spread them);
 *     the native recovery rate (one core) is measured in the same run. Then: every report stored
 *     and counted once (rows, the per-epoch summary);
 *  3. the day ends on chain; the revenue watcher applies the joins and the day's activity; a
 *     purchase arrives (the revenue event: one watcher tick); the committer commits the root;
 *     the union's own validator checks it (first run: from the start). A second purchase follows,
 *     and both instances tick at once — the watcher, then the committer: the revenue is applied
 *     once and one root is committed (the singleton jobs' advisory lock); the check after that
 *     commit is the incremental one (issue 19);
 *  4. reads: GET earnings and proof of 1,000 random members, one at a time (p50 / p99), and the
 *     console overview's figures (StatsService, without chain reads; best of 5);
 *  5. database bytes per member (after joins) and per report-day (after the reports).
 *
 * CPU per join and per report is read from /proc (this process — the union and its recovery
 * threads —, the second instance's process and this cluster's PostgreSQL processes), because on a shared machine wall time
 * mostly measures the neighbours. Bounded: every phase has a deadline
 * (BENCH_PHASE_SECONDS, default 600) and the load generator stops at it.
 */

import { getBytes, TypedDataEncoder, Wallet } from 'ethers';

import { devAccount } from '../contracts/chain.ts';
import { asTypes, joinRequestTypes, unionDomain } from '../extension/protocol/eip712.ts';
import { createReportDigester } from '../extension/protocol/report-digest.ts';
import type { Report } from '../extension/protocol/wire.ts';
import { startUnion } from '../union/app.ts';
import { loadNativeSecp256k1 } from '../union/crypto/recover.ts';
import { generateAppSecret } from '../union/domain/app-secret.ts';
import type { Db } from '../union/db/db.ts';
import { migrate } from '../union/db/migrate.ts';
import { openPostgres } from '../union/db/postgres-driver.ts';
import { secretsRepo } from '../union/repo/secrets-repo.ts';
import { StatsService } from '../union/services/stats-service.ts';
import { startChainFixture } from '../union/test-support/chain-fixture.ts';
import {
  CONFIG_CATEGORIES,
  NO_RATE_LIMITS,
  signConfig,
  testConfig,
} from '../union/test-support/fixtures.ts';
import {
  clusterCpuMs,
  cpuSnapshot,
  prepareLoadClient,
  processCpuMs,
} from '../union/test-support/load-generator.ts';
import { startPostgres, type PostgresCluster } from '../union/test-support/postgres-cluster.ts';
import { simMembers, type SimMember } from './scale-members.ts';
import { startInstanceProcess, type InstanceProcess } from './scale-instances.ts';
import { seedJoined } from './scale-seed.ts';

const DAY = 86_400;
const PHASE_MS = Number(process.env.BENCH_PHASE_SECONDS ?? 600) * 1000;
const READ_SAMPLES = 1000;
const ENDPOINT_JOINS = Number(process.env.BENCH_ENDPOINT_JOINS ?? 2000);

interface Secp {
  ecdsaSign(msg32: Uint8Array, key: Uint8Array): { signature: Uint8Array; recid: number };
  ecdsaRecover(sig: Uint8Array, recid: number, msg32: Uint8Array, compressed: boolean): Uint8Array;
  publicKeyCreate(key: Uint8Array, compressed: boolean): Uint8Array;
}

const round = (x: number, digits = 0) => Number(x.toFixed(digits));
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
};
const log = (line: string) => console.error(line);

function parseMembers(argv: string[]): number[] {
  const at = argv.indexOf('--members');
  const text = at >= 0 ? argv[at + 1] : '100000';
  const list = (text ?? '').split(',').map((s) => Number(s.replace(/_/g, '')));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 10 || n > 1_000_000)) {
    throw new Error('--members takes a comma-separated list of integers from 10 to 1000000.');
  }
  return list;
}

function signature(secp: Secp, digest: Uint8Array, key: Uint8Array): string {
  const { signature: sig, recid } = secp.ecdsaSign(digest, key);
  return `0x${Buffer.from(sig).toString('hex')}${(27 + recid).toString(16)}`;
}

/** Fisher–Yates with a fixed seed: the send order is random but the same every run. */
function shuffled<T>(items: T[]): T[] {
  let seed = 0x2545f491;
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Raw native recoveries per second on this thread (the ingest limit, one core). */
function recoveryRate(secp: Secp): number {
  const key = getBytes(`0x${'11'.repeat(32)}`);
  const digest = getBytes(`0x${'22'.repeat(32)}`);
  const { signature: sig, recid } = secp.ecdsaSign(digest, key);
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < 2000) {
    for (let i = 0; i < 200; i++, n++) secp.ecdsaRecover(sig, recid, digest, false);
  }
  return n / ((performance.now() - start) / 1000);
}

/**
 * Sends `bodies` with `concurrency` clients: the first half to `urls[0]` alone, the second half
 * spread over all `urls`. Per half: wall time and CPU µs per body (this process, the other
 * instances' processes, PostgreSQL).
 */
async function load(
  db: Db,
  urls: string[],
  pids: number[],
  path: string,
  bodies: string[],
  concurrency: number,
  acceptStatus: number,
) {
  const half = Math.ceil(bodies.length / 2);
  const phase = async (targets: string[], part: string[]) => {
    const client = await prepareLoadClient({
      url: targets,
      path,
      bodies: part,
      concurrency,
      durationMs: PHASE_MS,
      batch: false,
      acceptStatus,
    });
    const cpu = async () => {
      const own = cpuSnapshot();
      return own.main + own.others + (await clusterCpuMs(db)) + sum(pids.map(processCpuMs));
    };
    const before = await cpu();
    const result = await client.run();
    const cpuMs = (await cpu()) - before;
    const perSecond = result.accepted / (result.elapsedMs / 1000);
    return { ...result, perSecond, cpuMs, client: result.cpuMs };
  };
  const one = await phase(urls.slice(0, 1), bodies.slice(0, half));
  const two = await phase(urls, bodies.slice(half));
  return {
    one,
    two,
    accepted: one.accepted + two.accepted,
    firstError: one.firstError ?? two.firstError,
    elapsedMs: one.elapsedMs + two.elapsedMs,
    latencies: [...one.latencies, ...two.latencies],
    cpuUsPerBody: ((one.cpuMs + two.cpuMs) * 1000) / bodies.length,
    clientCpuUsPerBody: ((one.client + two.client) * 1000) / bodies.length,
    twoVsOne: round(two.perSecond / one.perSecond, 2),
  };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

async function runDay(n: number, members: SimMember[], secp: Secp, cluster: PostgresCluster) {
  const fx = await startChainFixture({ freezePeriodSeconds: 60n });
  const databaseUrl = await cluster.createDatabase(`scale_${n}`);
  const db = await openPostgres({ url: databaseUrl, poolSize: 10 });
  await migrate(db);
  const admin = new Wallet(devAccount(0).privateKey);
  const domain = unionDomain(31337, fx.deployment.dataUnion);
  const dayStart = Math.floor(Date.now() / 1000 / DAY) * DAY - DAY;
  const { now: _clock, ...chainOptions } = fx.unionOptions();
  const instanceOptions = {
    ...chainOptions,
    recoverThreads: 2,
    writeConcurrency: 4,
    rateLimits: NO_RATE_LIMITS,
    developmentPrivacyLimits: true,
  };
  const union = await startUnion({
    ...instanceOptions,
    now: () => fx.now(),
    db,
    initialConfig: await signConfig(admin, domain, testConfig(1, { epochSeconds: DAY })),
  });
  let second: InstanceProcess | null = null;
  const bytes = async () =>
    Number(
      (await db.query<{ b: string }>('SELECT pg_database_size(current_database())::text AS b'))
        .rows[0]!.b,
    );
  try {
    second = await startInstanceProcess({ databaseUrl, options: instanceOptions });
    const urls = [union.url, second.url];
    const pids = [second.pid];
    const secret = generateAppSecret();
    await secretsRepo.insert(db, {
      id: secret.id,
      hash: secret.hash,
      label: 'bench:scale',
      maxUses: null,
      expiresAt: null,
    });
    const group = members.slice(0, n);

    // 1. Joins through POST /v1/join with the app secret.
    const issuedAt = Math.floor(Date.now() / 1000);
    const joinTypes = asTypes(joinRequestTypes);
    const viaEndpoint = Math.min(n, ENDPOINT_JOINS);
    const bytesEmpty = await bytes();
    await seedJoined(
      db,
      group.slice(0, n - viaEndpoint).map((m) => m.address),
      new Date(issuedAt * 1000),
    );
    const joins = shuffled(group.slice(n - viaEndpoint)).map((m) => {
      const request = { member: m.address, issuedAt };
      const digest = getBytes(TypedDataEncoder.hash(domain, joinTypes, request));
      return JSON.stringify({
        request,
        signature: signature(secp, digest, m.key),
        secret: secret.secret,
      });
    });
    const join = await load(db, urls, pids, '/v1/join', joins, 64, 200);
    const joined = (
      await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM members WHERE status = 'active'`,
      )
    ).rows[0]!.n;
    if (joined !== n)
      throw new Error(`${joined} of ${n} members joined (${join.firstError ?? ''}).`);
    const bytesJoined = await bytes();
    log(
      `N=${n}: ${viaEndpoint} joins through the endpoint in ${round(join.elapsedMs / 1000, 1)} s`,
    );

    // 2. One report each for the day just closed, through POST /v1/reports.
    const digester = await createReportDigester(domain);
    const [a, b, c] = CONFIG_CATEGORIES.map((x) => x.id) as [number, number, number];
    const reports = shuffled(group).map((m, i) => {
      const report: Report = {
        member: m.address,
        epochStart: dayStart,
        epochSeconds: DAY,
        configVersion: 1,
        counts: [
          { category: a, visits: i % 40, activeSeconds: (i * 311) % 9000 },
          { category: b, visits: -(i % 5), activeSeconds: 60 },
          ...(i % 3 === 0 ? [{ category: c, visits: 2, activeSeconds: 600 }] : []),
        ],
      };
      return JSON.stringify({ report, signature: signature(secp, digester.digest(report), m.key) });
    });
    const recoverPerSecond = recoveryRate(secp);
    const ingest = await load(db, urls, pids, '/v1/reports', reports, 256, 201);
    if (ingest.accepted !== n) {
      throw new Error(`${ingest.accepted} of ${n} reports accepted (${ingest.firstError ?? ''}).`);
    }
    const bytesReported = await bytes();
    log(`N=${n}: ${n} reports in ${round(ingest.elapsedMs / 1000, 1)} s`);
    const counted = (
      await db.query<{ rows: number; distinct: number; summary: number }>(
        `SELECT (SELECT count(*)::int FROM reports WHERE epoch_start = $1) AS rows,
           (SELECT count(DISTINCT member)::int FROM reports WHERE epoch_start = $1) AS distinct,
           (SELECT coalesce(sum(reports), 0)::int FROM report_epoch_counts WHERE epoch_start = $1)
             AS summary`,
        [dayStart],
      )
    ).rows[0]!;
    if (counted.rows !== n || counted.distinct !== n || counted.summary !== n) {
      throw new Error(`reports stored/counted ${JSON.stringify(counted)}, expected ${n} each.`);
    }

    // 3. The day ends on chain; activity, revenue, commits, the own validator.
    const mono = union.monoplasma!;
    const untilTomorrow = dayStart + 2 * DAY - (await fx.chainTime()) + 60;
    await fx.passTime(Math.max(60, untilTomorrow));
    const [, applyMs] = await timed(() => mono.watch());
    await fx.purchase(1000n);
    const [revenue, revenueMs] = await timed(() => mono.watch());
    const [commit, commitMs] = await timed(() => mono.committer.tick());
    if (!commit.committed) throw new Error(`no commit: ${commit.reason}`);
    const [fullCheck, fullCheckMs] = await timed(() => mono.validateOwn());
    // Both instances tick at once: the revenue is applied once, one root is committed.
    await fx.purchase(1000n);
    const other = second;
    await Promise.all([mono.watch(), other.run('watch')]);
    const [[mine, commit2Ms], [theirs, theirMs]] = await Promise.all([
      timed(() => mono.committer.tick()),
      timed(() => other.run('commit') as ReturnType<typeof mono.committer.tick>),
    ]);
    const committed = [mine, theirs].filter((c) => c.committed).length;
    const singletons = (
      await db.query<{ revenue: number; snapshots: number }>(
        `SELECT (SELECT count(*)::int FROM revenue_transfers) AS revenue,
           (SELECT count(*)::int FROM monoplasma_snapshots) AS snapshots`,
      )
    ).rows[0]!;
    if (committed !== 1 || singletons.revenue !== 2 || singletons.snapshots !== 2) {
      throw new Error(
        `two instances ticking: ${committed} commits, ${JSON.stringify(singletons)} (expected 1; 2 transfers, 2 snapshots)`,
      );
    }
    const [check, checkMs] = await timed(() => mono.validateOwn());
    if (!fullCheck?.ok || !check?.ok) throw new Error(`own check failed: ${check?.problem ?? ''}`);
    await fx.passTime(120); // the root becomes usable: proofs are served from it

    // 4. Reads.
    const sample = Array.from(
      { length: Math.min(READ_SAMPLES, n) },
      (_, i) => group[Math.floor((i * n) / Math.min(READ_SAMPLES, n))]!.address,
    );
    const latency = async (path: (a: string) => string) => {
      const times: number[] = [];
      for (const address of sample) {
        const [res, ms] = await timed(() => fetch(`${union.url}${path(address)}`));
        if (res.status !== 200) throw new Error(`${path(address)} answered ${res.status}`);
        await res.arrayBuffer();
        times.push(ms);
      }
      return { p50: round(percentile(times, 0.5), 2), p99: round(percentile(times, 0.99), 2) };
    };
    const earnings = await latency((a) => `/v1/members/${a}/earnings`);
    const proof = await latency((a) => `/v1/members/${a}/proof`);
    const stats = new StatsService(
      db,
      { activityWindowSeconds: 7 * DAY, commitPeriodSeconds: 3600, now: () => Date.now() },
      null,
    );
    const statsTimes: number[] = [];
    for (let i = 0; i < 5; i++) statsTimes.push((await timed(() => stats.stats()))[1]);

    return {
      members: n,
      endpointJoins: viaEndpoint,
      joinsPerSecond: round(viaEndpoint / (join.elapsedMs / 1000)),
      joinsPerSecondOneInstance: round(join.one.perSecond),
      joinsPerSecondTwoInstances: round(join.two.perSecond),
      joinCpuUsPerMember: round(join.cpuUsPerBody),
      ingestReportsPerSecond: round(n / (ingest.elapsedMs / 1000)),
      ingestOneInstancePerSecond: round(ingest.one.perSecond),
      ingestTwoInstancesPerSecond: round(ingest.two.perSecond),
      twoInstancesVsOne: { joins: join.twoVsOne, ingest: ingest.twoVsOne },
      ingestCpuUsPerReport: round(ingest.cpuUsPerBody),
      // the load generator's own CPU per report (HTTP client, same 2 cores; not in the above)
      loadGeneratorCpuUsPerReport: round(ingest.clientCpuUsPerBody),
      recoverPerSecond: round(recoverPerSecond),
      // accepted single-report requests per second ÷ native recoveries per second on ONE core
      ingestVsRecovery: round(n / (ingest.elapsedMs / 1000) / recoverPerSecond, 3),
      ingestVsRecoveryOneInstance: round(ingest.one.perSecond / recoverPerSecond, 3),
      ingestVsRecoveryTwoInstances: round(ingest.two.perSecond / recoverPerSecond, 3),
      reportsStoredCountedOnce: counted.rows,
      secondPeriodCommits: committed,
      reportLatencyMsP50: round(percentile(ingest.latencies, 0.5), 1),
      reportLatencyMsP99: round(percentile(ingest.latencies, 0.99), 1),
      dayAppliedMs: round(applyMs),
      revenueEventMs: round(revenueMs),
      revenueEvents: revenue.events,
      rootCommitMs: round(commitMs),
      secondCommitMs: round(mine.committed ? commit2Ms : theirMs),
      validatorFullCheckMs: round(fullCheckMs),
      validatorCheckAfterCommitMs: round(checkMs),
      earningsMs: earnings,
      proofMs: proof,
      overviewStatsMs: round(Math.min(...statsTimes), 1),
      dbBytesPerMember: round((bytesJoined - bytesEmpty) / n),
      dbBytesPerReportDay: round((bytesReported - bytesJoined) / n),
      dbBytesTotal: await bytes(),
    };
  } finally {
    await second?.close();
    await union.close();
    await db.close();
    await fx.close();
  }
}

async function main(): Promise<void> {
  const sizes = parseMembers(process.argv.slice(2));
  const secp = loadNativeSecp256k1() as unknown as Secp | null;
  if (!secp)
    throw new Error('The native secp256k1 prebuild does not load here; the bench needs it.');
  const members = await simMembers(Math.max(...sizes), secp);
  const cluster = await startPostgres();
  const lines: Awaited<ReturnType<typeof runDay>>[] = [];
  try {
    for (const n of sizes) {
      const line = await runDay(n, members, secp, cluster);
      console.log(JSON.stringify(line));
      lines.push(line);
    }
  } finally {
    await cluster.stop();
  }
  const small = lines[0]!;
  const large = lines.at(-1)!;
  const ratio = (key: keyof typeof small) => {
    const x = small[key];
    const y = large[key];
    return typeof x === 'number' && typeof y === 'number' && x > 0 ? round(y / x, 2) : null;
  };
  console.log(
    JSON.stringify({
      ratios: `${large.members} ÷ ${small.members} members`,
      joinCpuPerMember: ratio('joinCpuUsPerMember'),
      ingestCpuPerReport: ratio('ingestCpuUsPerReport'),
      revenueEvent: ratio('revenueEventMs'),
      rootCommit: ratio('rootCommitMs'),
      validatorCheckAfterCommit: ratio('validatorCheckAfterCommitMs'),
      earningsP50: round(large.earningsMs.p50 / small.earningsMs.p50, 2),
      proofP50: round(large.proofMs.p50 / small.proofMs.p50, 2),
      overviewStats: ratio('overviewStatsMs'),
      dbBytesPerMember: ratio('dbBytesPerMember'),
      dbBytesPerReportDay: ratio('dbBytesPerReportDay'),
    }),
  );
}

await main();
