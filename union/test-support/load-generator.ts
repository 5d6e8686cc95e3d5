/**
 * Load generation and CPU accounting for benchmarks (bench/ingest.ts, and later ones).
 *
 * The load generator is a plain Node process (so its CPU is not billed to the server under
 * test) holding pre-built request bodies; `run()` starts the clock and resolves with accepted /
 * refused counts and per-request latencies. With several union URLs (instances behind a load
 * balancer, bench:scale), client k sends to URL k mod n, so the requests spread evenly. Bodies
 * travel to the process in chunks: a million reports in one IPC message would exceed V8's
 * string limit. `cpuSnapshot()` reads /proc (Linux) for the CPU time
 * of this process's main thread, its other threads and all `postgres` processes.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

import type { Queryable } from '../db/db.ts';

export interface LoadJob {
  /** One union, or several instances that share the clients. */
  url: string | readonly string[];
  path: string;
  bodies: string[];
  concurrency: number;
  durationMs: number;
  /** Batch answers are `{ accepted, rejected, duplicate }`; single ones count 201 as accepted. */
  batch: boolean;
  /** Reports per batch body (counted as refused when a batch request fails). */
  batchSize?: number;
  /** The status a single request is accepted with: 201 for reports (default), 200 for joins. */
  acceptStatus?: number;
}

/** CPU milliseconds used so far: this process's main thread, its other threads, PostgreSQL. */
export function cpuSnapshot(): { main: number; others: number; postgres: number } {
  const ms = (stat: string) => {
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10; // utime + stime, in 10 ms clock ticks
  };
  const read = (file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return '';
    }
  };
  let main = 0;
  let others = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    const stat = read(`/proc/self/task/${tid}/stat`);
    if (!stat) continue;
    if (Number(tid) === process.pid) main = ms(stat);
    else others += ms(stat);
  }
  let postgres = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    const stat = read(`/proc/${pid}/stat`);
    if (stat.includes('(postgres)')) postgres += ms(stat);
  }
  return { main, others, postgres };
}

/**
 * CPU ms one cluster's PostgreSQL has used so far, read through `db`: other clusters on the
 * machine (other engineers' tests) are not counted, as `cpuSnapshot().postgres` counts them.
 * The sum is the postmaster's own time, the time of its children that have ended (their
 * `cutime`/`cstime`, added to the postmaster when it reaps them) and the time of those still
 * running — so it never goes down. Summing only the backends listed at each reading went
 * negative when a backend (a closed pool connection, an autovacuum worker) ended in between.
 * 0 when the cluster's processes are not readable here (a remote TEST_DATABASE_URL).
 */
export async function clusterCpuMs(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const postmaster = procStat(rows[0]!.pid)?.ppid;
  return postmaster === undefined ? 0 : processTreeCpuMs(postmaster);
}

/**
 * CPU ms of `pid`, its ended (reaped) children and its running children. A child reaped while
 * the children are read would be in neither sum (its time moves into the parent's `cutime`
 * after the parent was read), so the parent is read before and after the children and the
 * reading is retried until no child was reaped in between.
 */
export function processTreeCpuMs(pid: number, proc = '/proc'): number {
  for (let attempt = 0; ; attempt++) {
    const before = procStat(pid, proc);
    if (!before) return 0;
    let children = 0;
    for (const entry of readdirSync(proc)) {
      if (!/^\d+$/.test(entry)) continue;
      const child = procStat(Number(entry), proc);
      if (child?.ppid === pid) children += child.ms;
    }
    const after = procStat(pid, proc);
    if (!after) return 0;
    if (after.childrenMs === before.childrenMs || attempt === 9) {
      return after.ms + after.childrenMs + children;
    }
  }
}

interface ProcStat {
  ppid: number;
  /** utime + stime. */
  ms: number;
  /** cutime + cstime: children that ended and were waited for. */
  childrenMs: number;
}

/** Fields of /proc/<pid>/stat after the command name (clock ticks of 10 ms); null once ended. */
function procStat(pid: number, proc = '/proc'): ProcStat | null {
  try {
    const stat = readFileSync(`${proc}/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      ppid: Number(f[1]),
      ms: (Number(f[11]) + Number(f[12])) * 10,
      childrenMs: (Number(f[13]) + Number(f[14])) * 10,
    };
  } catch {
    return null;
  }
}

/** CPU milliseconds another process (all its threads) has used so far; 0 once it has ended. */
export function processCpuMs(pid: number): number {
  return procStat(pid)?.ms ?? 0;
}

/** The load generator: a plain Node process with a keep-alive agent and pre-built bodies. */
const CLIENT_SOURCE = `
const http = require('node:http');
let job = null;
const bodies = [];
process.on('message', (m) => {
  if (m && m.job) job = m.job;
  else if (m && m.chunk) for (const b of m.chunk) bodies.push(b);
  else if (m === 'loaded') process.send('ready');
  else if (m === 'go') run();
});
const run = async () => {
  const { urls, path, concurrency, durationMs, batch, batchSize, acceptStatus = 201 } = job;
  const targets = urls.map((url) => ({
    target: new URL(url),
    agent: new http.Agent({ keepAlive: true, maxSockets: Math.ceil(concurrency / urls.length) }),
  }));
  const send = ({ target, agent }, body) => new Promise((resolve, reject) => {
    const req = http.request({ host: target.hostname, port: target.port, path, method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
  let next = 0, accepted = 0, refused = 0, firstError = null;
  const latencies = [];
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const loop = async (k) => {
    const to = targets[k % targets.length];
    while (next < bodies.length && performance.now() < start + durationMs) {
      const t0 = performance.now();
      const r = await send(to, bodies[next++]);
      latencies.push(performance.now() - t0);
      const parsed = batch && r.status === 200 ? JSON.parse(r.text) : null;
      if (parsed) { accepted += parsed.accepted; refused += parsed.rejected + parsed.duplicate; }
      else if (!batch && r.status === acceptStatus) accepted++;
      else refused += batch ? batchSize : 1;
      if (!firstError && (parsed ? parsed.rejected > 0 : r.status !== acceptStatus)) firstError = r.status + ' ' + r.text.slice(0, 300);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, k) => loop(k)));
  const cpu = process.cpuUsage(cpuStart);
  process.send({ accepted, refused, firstError, elapsedMs: performance.now() - start, latencies,
    cpuMs: (cpu.user + cpu.system) / 1000 }, () => process.exit(0));
};
`;

export interface LoadResult {
  accepted: number;
  refused: number;
  firstError: string | null;
  elapsedMs: number;
  latencies: number[];
  /** CPU the load generator itself used while sending (it shares the machine with the union). */
  cpuMs: number;
}

const CHUNK = 20_000;

/** Starts a load-generator process holding its bodies; `run()` starts the clock. */
export async function prepareLoadClient(
  job: LoadJob,
): Promise<{ pid: number | undefined; run(): Promise<LoadResult> }> {
  const child = spawn(process.execPath, ['-e', CLIENT_SOURCE], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { bodies, url, ...rest } = job;
  const post = (message: unknown) =>
    new Promise<void>((resolve, reject) =>
      child.send(message as object, (error) => (error ? reject(error) : resolve())),
    );
  const ready = new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`the load generator exited (${code})`)));
  });
  await post({ job: { ...rest, urls: typeof url === 'string' ? [url] : [...url] } });
  for (let i = 0; i < bodies.length; i += CHUNK) await post({ chunk: bodies.slice(i, i + CHUNK) });
  await post('loaded');
  await ready;
  return {
    /** The load generator's process id (to read its CPU time). */
    pid: child.pid,
    run: () =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve(m as LoadResult));
        child.send('go');
      }),
  };
}
