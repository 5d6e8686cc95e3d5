/**
 * `npm run bench:validator [-- --members 10000,100000,1000000]` (issue 19): the union's own
 * validator at N members, one JSON line per N. Per N, on a fresh database of one throwaway
 * PostgreSQL cluster (127.0.0.1, stopped at the end) and a fresh in-process chain (hardhat):
 *
 *  1. setup, not measured: N members (bench/scale-members.ts addresses) written in bulk as a join
 *     writes them (bench/scale-seed.ts: member rows, hash-chained membership log), each made
 *     active in bulk as an accepted report does (`members.active_from`); the real revenue watcher
 *     applies the N joins and N activity changes to the books (one tick per 100,000 members, a
 *     chain block between), a purchase arrives and the real committer commits the first root;
 *  2. the first (full) own check: from the first event, at most the newest 24 roots;
 *  3. `ROUNDS` times: a purchase, a watcher tick, a commit, then the own check after that commit
 *     (`MonoplasmaJobs.validateOwn`, as the union runs it after every commit: the checkpoint
 *     kept in memory since the last check, the new root's published state, the replay of the new
 *     events, every leaf compared, the checkpoint stored) — the figure the issue bounds (≤ 10 s
 *     at 1 M);
 *  4. the union restarts (the in-memory checkpoint is gone), one more purchase and commit, and the
 *     check after it, which restores the stored checkpoint from the database first.
 *
 * Bounded: the whole run stops with an error after BENCH_SECONDS (default 3,600).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

import { Wallet } from 'ethers';

import { devAccount } from '../contracts/chain.ts';
import { unionDomain } from '../extension/protocol/eip712.ts';
import { startUnion } from '../union/app.ts';
import { loadNativeSecp256k1 } from '../union/crypto/recover.ts';
import type { Db } from '../union/db/db.ts';
import { migrate } from '../union/db/migrate.ts';
import { openPostgres } from '../union/db/postgres-driver.ts';
import { startChainFixture, type ChainFixture } from '../union/test-support/chain-fixture.ts';
import { NO_RATE_LIMITS, signConfig, testConfig } from '../union/test-support/fixtures.ts';
import { startPostgres, type PostgresCluster } from '../union/test-support/postgres-cluster.ts';
import { membersFlag } from './members-flag.ts';
import { simMembers } from './scale-members.ts';
import { seedJoined } from './scale-seed.ts';

type StartedUnion = Awaited<ReturnType<typeof startUnion>>;

const ROUNDS = 3;
/**
 * Members applied per watcher tick in the setup: one tick's events are appended as one JSON
 * array, which PostgreSQL refuses beyond 255 MB (≈ 2 M events).
 */
const SEED_CHUNK = 100_000;
const LIMIT_MS = Number(process.env.BENCH_SECONDS ?? 3600) * 1000;

const round = (x: number) => Math.round(x);
const log = (line: string) => console.error(line);

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

/** A commit of the revenue of one purchase: purchase, watcher tick, committer tick. */
async function commitRevenue(fx: ChainFixture, union: StartedUnion): Promise<number> {
  const mono = union.monoplasma!;
  await fx.purchase(1000n);
  await mono.watch();
  const [commit, ms] = await timed(() => mono.committer.tick());
  if (!commit.committed) throw new Error(`no commit: ${commit.reason}`);
  return ms;
}

/** With BENCH_CPU_PROFILE=<file>: the CPU profile of the last check after a commit. */
async function profiled<T>(file: string | undefined, fn: () => Promise<T>): Promise<T> {
  if (!file) return fn();
  const session = new Session();
  session.connect();
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, (error, result) => (error ? reject(error) : resolve(result))),
    );
  await post('Profiler.enable');
  await post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}

/**
 * The own check as the union runs it after a commit; throws unless it passed. Wall time, and the
 * CPU time of this process (its threads: the union, the Merkle workers, the in-process chain),
 * which the neighbours on a shared machine disturb less.
 */
async function ownCheck(union: StartedUnion, profile?: string) {
  const cpu = process.cpuUsage();
  const [status, ms] = await timed(() => profiled(profile, () => union.monoplasma!.validateOwn()));
  const used = process.cpuUsage(cpu);
  if (!status?.ok) throw new Error(`own check failed: ${status?.problem ?? 'no status'}`);
  return { ms, cpuMs: (used.user + used.system) / 1000 };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

async function runN(n: number, addresses: string[], cluster: PostgresCluster) {
  const fx = await startChainFixture({ freezePeriodSeconds: 60n });
  const db: Db = await openPostgres({
    url: await cluster.createDatabase(`validator_${n}`),
    poolSize: 10,
  });
  await migrate(db);
  const admin = new Wallet(devAccount(0).privateKey);
  const domain = unionDomain(31337, fx.deployment.dataUnion);
  const options = {
    ...fx.unionOptions(),
    db,
    rateLimits: NO_RATE_LIMITS,
    initialConfig: await signConfig(admin, domain, testConfig(1)),
    developmentPrivacyLimits: true,
  };
  let union = await startUnion(options);
  try {
    // 1. Setup: members joined and active, the books, the first root.
    let applyMs = 0;
    for (let from = 0; from < n; from += SEED_CHUNK) {
      const group = addresses.slice(from, Math.min(n, from + SEED_CHUNK));
      const now = (await fx.chainTime()) * 1000;
      await seedJoined(db, group, new Date(now));
      await db.query(
        'UPDATE members SET last_report_at = $1, active_from = $1 WHERE address = ANY($2::text[])',
        [new Date(now + 1000), group],
      );
      await fx.passTime(120); // a block stamped after the joins lets the watcher apply them
      applyMs += (await timed(() => union.monoplasma!.watch()))[1];
    }
    const firstCommitMs = await commitRevenue(fx, union);
    log(`N=${n}: books applied in ${round(applyMs)} ms, first commit ${round(firstCommitMs)} ms`);

    // 2. The first own check, from the first event.
    const { ms: fullCheckMs } = await ownCheck(union);
    log(`N=${n}: first (full) own check ${round(fullCheckMs)} ms`);

    // 3. Checks after a commit, the checkpoint in memory.
    const afterCommit: number[] = [];
    const afterCommitCpu: number[] = [];
    const commits: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      commits.push(await commitRevenue(fx, union));
      const check = await ownCheck(
        union,
        i === ROUNDS - 1 ? process.env.BENCH_CPU_PROFILE : undefined,
      );
      afterCommit.push(check.ms);
      afterCommitCpu.push(check.cpuMs);
      log(`N=${n}: check after commit ${i + 1}: ${round(afterCommit.at(-1)!)} ms`);
    }

    // 4. After a restart: the stored checkpoint is restored first.
    await union.close();
    union = await startUnion(options);
    await commitRevenue(fx, union);
    const { ms: afterRestartMs } = await ownCheck(union);

    return {
      members: n,
      booksAppliedMs: round(applyMs),
      rootCommitMs: round(Math.min(...commits)),
      validatorFullCheckMs: round(fullCheckMs),
      validatorCheckAfterCommitMs: round(median(afterCommit)),
      validatorCheckAfterCommitRunsMs: afterCommit.map(round),
      validatorCheckAfterCommitCpuMs: round(median(afterCommitCpu)),
      validatorCheckAfterRestartMs: round(afterRestartMs),
      rssMb: round(process.memoryUsage().rss / 2 ** 20),
    };
  } finally {
    await union.close();
    await db.close();
    await fx.close();
  }
}

async function main(): Promise<void> {
  const sizes = membersFlag(process.argv.slice(2), '10000,100000');
  const deadline = setTimeout(() => {
    console.error(`bench:validator: stopped after ${LIMIT_MS / 1000} s (BENCH_SECONDS).`);
    process.exit(2);
  }, LIMIT_MS);
  deadline.unref();
  const secp = loadNativeSecp256k1();
  if (!secp) throw new Error('The native secp256k1 prebuild does not load here.');
  const members = await simMembers(
    Math.max(...sizes),
    secp as unknown as Parameters<typeof simMembers>[1],
  );
  const addresses = members.map((m) => m.address);
  const cluster = await startPostgres();
  try {
    for (const n of sizes) console.log(JSON.stringify(await runN(n, addresses, cluster)));
  } finally {
    await cluster.stop();
  }
}

await main();
