/**
 * Worker thread of the tree builder: runs jobs on buffers shared with the main thread.
 * Started by worker-pool.ts.
 */
import { parentPort } from 'node:worker_threads';

import { createKeccak256 } from './hashing.ts';
import { runMerkleJob } from './job-runner.ts';
import type { MerkleJobRequest, MerkleWorkerReply } from './jobs.ts';

const port = parentPort;
if (port === null) throw new Error('merkle/worker.ts must run in a worker thread');

const keccak = await createKeccak256();

port.on('message', ({ id, job }: MerkleJobRequest) => {
  let reply: MerkleWorkerReply;
  try {
    runMerkleJob(keccak, job);
    reply = { kind: 'done', id };
  } catch (error) {
    reply = { kind: 'failed', id, message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});

port.postMessage({ kind: 'ready' } satisfies MerkleWorkerReply);
