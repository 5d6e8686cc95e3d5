/**
 * Where build jobs run: the shared worker pool for large trees, or inline on the calling thread
 * for small ones. The builder is written once against this interface.
 */
import type { Keccak256 } from './hashing.ts';
import { runMerkleJob } from './job-runner.ts';
import type { MerkleJob } from './jobs.ts';
import { merkleWorkerPool } from './worker-pool.ts';

export interface JobRunner {
  /** How many jobs run at once. */
  readonly size: number;
  /** Queues `job` on lane `slot` mod size; lanes run their jobs in order. */
  runOn(slot: number, job: MerkleJob): Promise<void>;
}

export function inlineRunner(keccak: Keccak256): JobRunner {
  return {
    size: 1,
    runOn(_slot, job) {
      runMerkleJob(keccak, job);
      return Promise.resolve();
    },
  };
}

export function workerRunner(threads: number): JobRunner {
  return merkleWorkerPool(threads);
}

/** Runs job i on lane i and waits for all. */
export async function runAll(runner: JobRunner, jobs: readonly MerkleJob[]): Promise<void> {
  await Promise.all(jobs.map((job, i) => runner.runOn(i, job)));
}

/** `[from, to)` cut into `parts` contiguous, non-empty ranges of near-equal size. */
export function split(from: number, to: number, parts: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (let p = 0; p < parts; p++) {
    const a = from + Math.floor(((to - from) * p) / parts);
    const b = from + Math.floor(((to - from) * (p + 1)) / parts);
    if (b > a) ranges.push([a, b]);
  }
  return ranges;
}
