/** Runs one build job; used by the worker threads and, for small trees, by the calling thread. */
import { hashLeaves, hashNodes, type Keccak256 } from './hashing.ts';
import type { MerkleJob } from './jobs.ts';
import { writeSortKeys } from './layout.ts';

export function runMerkleJob(keccak: Keccak256, job: MerkleJob): void {
  switch (job.kind) {
    case 'leaves':
      hashLeaves(keccak, job.addresses, job.totals, job.out, job.from, job.to);
      writeSortKeys(job.out, job.keyWords, job.from, job.to);
      return;
    case 'nodes':
      hashNodes(keccak, job, job.from, job.to);
      return;
  }
}
