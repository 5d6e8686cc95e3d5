/**
 * A small, lazily started pool of tree-hashing worker threads, kept for the life of the process
 * (the committer builds a tree every period; starting TypeScript workers costs ~0.3 s).
 * Idle workers are unref'd so they never keep the process alive.
 */
import { Worker } from 'node:worker_threads';

import { MerkleError } from './errors.ts';
import type { MerkleJob, MerkleJobRequest, MerkleWorkerReply } from './jobs.ts';
import type { JobRunner } from './runner.ts';

interface Pending {
  resolve: () => void;
  reject: (error: Error) => void;
}

/** Starts the worker module; under tsx/vitest it is TypeScript, so the thread registers tsx first. */
function startWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./worker.js', here));
  const workerUrl = new URL('./worker.ts', here).href;
  // Worker threads do not inherit the parent's module hooks (node 20), and `--import tsx` in
  // execArgv does not apply to the worker's entry module, so register tsx, then import.
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl)}); });`;
  return new Worker(bootstrap, { eval: true });
}

class PooledWorker {
  private readonly worker = startWorker();
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private started = false;
  private rejectReady: (error: Error) => void = () => undefined;
  readonly ready: Promise<void>;

  constructor(private readonly onBroken: () => void) {
    this.ready = new Promise((resolve, reject) => {
      this.rejectReady = reject;
      this.worker.once('error', reject);
      this.worker.on('message', (reply: MerkleWorkerReply) => {
        if (reply.kind === 'ready') {
          this.started = true;
          if (this.pending.size === 0) this.worker.unref();
          return resolve();
        }
        const job = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        if (this.pending.size === 0) this.worker.unref();
        if (reply.kind === 'done') job?.resolve();
        else job?.reject(failed(reply.message));
      });
    });
    this.ready.catch(() => undefined); // surfaced by run(); avoid an unhandled rejection here
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`worker exited with code ${code}`)));
  }

  /**
   * Posts the job at once when the worker is up (so a caller that keeps the thread busy, like
   * the packing loop, overlaps with the hashing), otherwise after start-up.
   */
  async run(job: MerkleJob): Promise<void> {
    if (!this.started) await this.ready;
    const id = this.nextId++;
    const done = new Promise<void>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.worker.ref(); // a pending job must keep the process alive until it answers
    this.worker.postMessage({ id, job } satisfies MerkleJobRequest);
    return done;
  }

  /** Stops the thread; a job queued or waiting for the start fails instead of waiting for ever. */
  async terminate(): Promise<void> {
    this.worker.removeAllListeners('exit');
    const closed = failed('the pool was closed');
    this.rejectReady(closed); // no effect once started
    for (const job of this.pending.values()) job.reject(closed);
    this.pending.clear();
    await this.worker.terminate();
  }

  private fail(error: Error): void {
    for (const job of this.pending.values()) job.reject(failed(error.message, error));
    this.pending.clear();
    this.onBroken();
  }
}

function failed(message: string, cause?: Error): MerkleError {
  return new MerkleError(
    'MERKLE_WORKER_FAILED',
    `A Merkle worker thread failed: ${message}`,
    cause === undefined ? undefined : { cause },
  );
}

export class MerkleWorkerPool implements JobRunner {
  private readonly workers: PooledWorker[];

  constructor(readonly size: number) {
    this.workers = Array.from({ length: size }, () => new PooledWorker(() => this.broken()));
  }

  /** Resolves once every worker has loaded (to pay the start-up cost ahead of time). */
  async ready(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.ready));
  }

  /** Queues a job on worker `slot` mod size (each worker runs its jobs in order). */
  runOn(slot: number, job: MerkleJob): Promise<void> {
    const worker = this.workers[slot % this.size];
    if (worker === undefined) throw new RangeError('the pool has no workers');
    return worker.run(job);
  }

  async close(): Promise<void> {
    if (pools.get(this.size) === this) pools.delete(this.size);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private broken(): void {
    if (pools.get(this.size) === this) pools.delete(this.size); // the next build starts afresh
    void Promise.all(this.workers.map((w) => w.terminate())).catch(() => undefined);
  }
}

/** Process-wide pools by thread count (normally just one). */
const pools = new Map<number, MerkleWorkerPool>();

/** The process-wide pool of `size` workers, started on first use. */
export function merkleWorkerPool(size = 2): MerkleWorkerPool {
  let pool = pools.get(size);
  if (pool === undefined) {
    pool = new MerkleWorkerPool(size);
    pools.set(size, pool);
  }
  return pool;
}

/** Starts the shared pool now (e.g. when the committer starts) so the first build is fast. */
export async function warmUpMerkleWorkers(size = 2): Promise<void> {
  await merkleWorkerPool(size).ready();
}

/** How many worker threads the shared pools hold now (started or starting). */
export function merkleWorkerThreads(): number {
  let threads = 0;
  for (const pool of pools.values()) threads += pool.size;
  return threads;
}

/** Terminates the shared pools (tests, graceful shutdown). A later build starts new ones. */
export async function closeMerkleWorkers(): Promise<void> {
  await Promise.all([...pools.values()].map((pool) => pool.close()));
}
