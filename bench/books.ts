/**
 * `npm run bench:books -- --members 10000,100000,1000000`: the union's books at N members (issue
 * 19, D-044). Per N, on a fresh database of one throwaway PostgreSQL cluster (fsync on) and an
 * in-process hardhat chain: N active members are written in bulk (random addresses, no keys: the
 * books never check signatures), each with activity from yesterday; the day is applied (one
 * watcher tick that touches every member), then timed: one revenue event (a watcher tick), one
 * root commit (a committer tick: snapshot, Merkle root, stored leaves, the chain transaction), a
 * second revenue event and commit, loading the books from their rows (what a restart or another
 * instance's tick costs), publishing the state (GET /v1/state/:block), the first earnings read
 * after the second root became usable (its tree prepared by a watcher tick in between, D-049) and
 * 200 earnings reads.
 * One JSON line per N on stdout; progress on stderr. Bounded: `--max-minutes` (default 45) for
 * the whole run, 127.0.0.1 only.
 */
import { randomBytes } from 'node:crypto';

import { startUnion } from '../union/app.ts';
import type { MonoplasmaJobs } from '../union/jobs/monoplasma-jobs.ts';
import type { Db } from '../union/db/db.ts';
import { migrate } from '../union/db/migrate.ts';
import { openPostgres } from '../union/db/postgres-driver.ts';
import { booksRepo } from '../union/repo/books-repo.ts';
import { monoplasmaRepo } from '../union/repo/monoplasma-repo.ts';
import { startChainFixture } from '../union/test-support/chain-fixture.ts';
import { clusterCpuMs } from '../union/test-support/load-generator.ts';
import { startPostgres, type PostgresCluster } from '../union/test-support/postgres-cluster.ts';
import { seedJoined } from './scale-seed.ts';

const DAY = 86_400;
const READS = 200;

const round = (x: number, digits = 0) => Number(x.toFixed(digits));
const log = (line: string) => console.error(line);

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

/**
 * Wall ms and CPU ms of `fn`: this process (every thread: the union, its Merkle workers, the
 * in-process chain) plus this cluster's PostgreSQL — on a shared machine the CPU figure is the
 * steadier one (wall ≥ CPU ÷ 2 on 2 idle cores).
 */
async function measured<T>(db: Db, fn: () => Promise<T>): Promise<[T, number, number]> {
  const [cpu, pg] = [process.cpuUsage(), await clusterCpuMs(db)];
  const [value, ms] = await timed(fn);
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000 + (await clusterCpuMs(db)) - pg;
  return [value, ms, cpuMs];
}

function argument(argv: string[], name: string, fallback: string): string {
  const at = argv.indexOf(name);
  return at >= 0 ? (argv[at + 1] ?? fallback) : fallback;
}

function parseMembers(text: string): number[] {
  const list = text.split(',').map((s) => Number(s.replace(/_/g, '')));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 10 || n > 2_000_000)) {
    throw new Error('--members takes a comma-separated list of integers from 10 to 2000000.');
  }
  return list;
}

/** N active members who joined two days ago and reported yesterday (bulk, as a join writes them). */
async function seedMembers(db: Db, n: number, chainNow: number): Promise<string[]> {
  const addresses = Array.from({ length: n }, () => `0x${randomBytes(20).toString('hex')}`);
  await seedJoined(db, addresses, new Date((chainNow - 2 * DAY) * 1000));
  await db.query('UPDATE members SET active_from = $1, last_report_at = $1', [
    new Date((chainNow - DAY) * 1000),
  ]);
  return addresses;
}

/** A watcher tick, and the background build of the roots' trees it starts (D-049). */
async function prepareRoots(mono: MonoplasmaJobs): Promise<void> {
  await mono.watch();
  await mono.rootsPrepared();
}

async function runBooks(n: number, cluster: PostgresCluster) {
  const fx = await startChainFixture({ freezePeriodSeconds: 60n });
  const db = await openPostgres({ url: await cluster.createDatabase(`books_${n}`), poolSize: 4 });
  await migrate(db);
  const union = await startUnion({ ...fx.unionOptions(), db });
  try {
    const mono = union.monoplasma!;
    const [addresses, seedMs] = await timed(() =>
      fx.chainTime().then((t) => seedMembers(db, n, t)),
    );
    log(`N=${n}: ${n} members seeded in ${round(seedMs / 1000, 1)} s`);
    await fx.passTime(60);
    const [day, dayMs] = await timed(() => mono.watch());
    log(`N=${n}: the day applied (${day.events} events) in ${round(dayMs / 1000, 1)} s`);
    // The day's tick started the committer's warm-up in the background (commit-warm-up.ts); a
    // running union has minutes between ticks, so it is done before the first commit.
    const [, warmUpWaitMs] = await timed(() => mono.warmedUp());

    await fx.purchase(1000n);
    const [revenue, revenueMs, revenueCpuMs] = await measured(db, () => mono.watch());
    if (revenue.revenue === 0n) throw new Error('the revenue event was not applied');
    const [commit, commitMs, commitCpuMs] = await measured(db, () => mono.committer.tick());
    if (!commit.committed) throw new Error(`no commit: ${commit.reason}`);
    // A running union's watcher tick between a commit and its usable time prepares the root's
    // tree (D-049); then the root becomes usable before the next commit, as with a freeze period
    // shorter than the commit period.
    await prepareRoots(mono);
    await fx.passTime(61);
    await fx.purchase(1000n);
    const [, revenue2Ms, revenue2CpuMs] = await measured(db, () => mono.watch());
    const [commit2, commit2Ms, commit2CpuMs] = await measured(db, () => mono.committer.tick());
    if (!commit2.committed) throw new Error(`no second commit: ${commit2.reason}`);
    const [, prepareMs] = await timed(() => prepareRoots(mono));
    log(`N=${n}: revenue ${round(revenueMs)} ms, commit ${round(commitMs)} ms`);

    const [, loadMs] = await timed(async () => {
      const state = await monoplasmaRepo.state(db);
      return booksRepo.load(db, state!.accounting);
    });
    const [published, publishMs] = await timed(() =>
      fetch(`${union.url}/v1/state/${commit2.blockNumber}`).then((r) => r.text()),
    );
    await fx.passTime(120); // the second root becomes usable
    // The first request after a root became usable (it waited for the root's tree before D-049).
    const firstAddress = addresses[n - 1]!;
    const [firstRes, firstEarningsMs] = await timed(() =>
      fetch(`${union.url}/v1/members/${firstAddress}/earnings`),
    );
    if (firstRes.status !== 200) throw new Error(`earnings answered ${firstRes.status}`);
    await firstRes.arrayBuffer();
    const times: number[] = [];
    for (let i = 0; i < READS; i++) {
      const address = addresses[Math.floor((i * n) / READS)]!;
      const [res, ms] = await timed(() => fetch(`${union.url}/v1/members/${address}/earnings`));
      if (res.status !== 200) throw new Error(`earnings answered ${res.status}`);
      await res.arrayBuffer();
      times.push(ms);
    }
    times.sort((a, b) => a - b);
    const bytes = async (sql: string) =>
      Number((await db.query<{ b: string }>(`SELECT (${sql})::text AS b`)).rows[0]!.b);
    return {
      members: n,
      seedMs: round(seedMs),
      dayAppliedMs: round(dayMs),
      dayEvents: day.events,
      warmUpWaitMs: round(warmUpWaitMs),
      revenueEventMs: round(revenueMs),
      revenueEventCpuMs: round(revenueCpuMs),
      rootCommitMs: round(commitMs),
      rootCommitCpuMs: round(commitCpuMs),
      secondRevenueEventMs: round(revenue2Ms),
      secondRevenueEventCpuMs: round(revenue2CpuMs),
      secondRootCommitMs: round(commit2Ms),
      secondRootCommitCpuMs: round(commit2CpuMs),
      booksLoadMs: round(loadMs),
      publishedStateMs: round(publishMs),
      publishedStateBytes: published.length,
      rootTreePreparedMs: round(prepareMs),
      firstEarningsAfterRootMs: round(firstEarningsMs),
      earningsMsP50: round(times[Math.floor(READS / 2)]!, 2),
      earningsMsP99: round(times[Math.floor(READS * 0.99)]!, 2),
      booksRowBytes: await bytes("pg_total_relation_size('monoplasma_members')"),
      snapshotBytesEach: round(
        (await bytes("pg_total_relation_size('monoplasma_snapshot_pages')")) / 2,
      ),
    };
  } finally {
    await union.close();
    await db.close();
    await fx.close();
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const sizes = parseMembers(argument(argv, '--members', '10000,100000'));
  const maxMinutes = Number(argument(argv, '--max-minutes', '45'));
  const deadline = setTimeout(() => {
    log(`bench:books: stopped after ${maxMinutes} minutes`);
    process.exit(2);
  }, maxMinutes * 60_000);
  const cluster = await startPostgres();
  try {
    for (const n of sizes) console.log(JSON.stringify(await runBooks(n, cluster)));
  } finally {
    await cluster.stop();
    clearTimeout(deadline);
  }
}

await main();
