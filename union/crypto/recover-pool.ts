/**
 * A small pool of worker threads doing native signer recovery, so the ≈ 60 µs of elliptic-curve
 * work per report runs beside the event loop instead of on it. Requests are micro-batched: every
 * recovery asked for in one turn of the event loop travels to the workers as one transferred
 * buffer (32-byte digest ‖ 64-byte r‖s ‖ recid per item), split evenly across the workers;
 * answers come back as 21 bytes an item (ok flag ‖ address).
 *
 * The worker is plain CommonJS evaluated from a string (no TypeScript loader needed in the
 * thread, under tsx and vitest alike) and requires the native binding by absolute path.
 *
 * A worker has at most one message in flight (issue 19): while both are busy, new requests gather
 * and leave together when a worker answers, so under load a message carries tens of recoveries
 * instead of the two or three one event-loop turn brings. A `postMessage` and its answer cost the
 * main thread about as much as a recovery costs a worker, so one message per turn had the main
 * thread spending ≈ 12 % of its time posting messages at 4,000 single-report requests a second.
 */
import { Worker } from 'node:worker_threads';

import { recoveryModulePaths } from './recover.ts';
import type { CompactSignature } from './signature.ts';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const secp = require(workerData.secp256k1);
const { createKeccak } = require(workerData.hashWasm);
createKeccak(256).then((keccak) => {
  const pub = new Uint8Array(65);
  parentPort.on('message', ({ id, input, count }) => {
    const inp = new Uint8Array(input);
    const out = new Uint8Array(count * 21);
    for (let i = 0; i < count; i++) {
      const o = i * 97;
      try {
        secp.ecdsaRecover(inp.subarray(o + 32, o + 96), inp[o + 96], inp.subarray(o, o + 32), false, pub);
        const h = keccak.init().update(pub.subarray(1)).digest('binary');
        out[i * 21] = 1;
        out.set(h.subarray(12), i * 21 + 1);
      } catch {
        out[i * 21] = 0;
      }
    }
    parentPort.postMessage({ id, output: out.buffer }, [out.buffer]);
  });
  parentPort.postMessage({ ready: true });
});
`;

const ITEM = 97;

interface Pending {
  digest: Uint8Array;
  signature: CompactSignature;
  resolve: (address: string | null) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  /** The one message this worker is working on, if any. */
  busy: { id: number; items: Pending[] } | null;
}

/** Counters since the pool started: messages posted, items they carried, most in flight at once. */
export interface RecoverPoolStats {
  messages: number;
  items: number;
  peakMessagesInFlight: number;
}

export interface RecoverPool {
  readonly threads: number;
  recover(digest: Uint8Array, signature: CompactSignature): Promise<string | null>;
  stats(): RecoverPoolStats;
  close(): Promise<void>;
}

function startWorker(): Promise<Worker> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: recoveryModulePaths() });
    worker.once('error', reject);
    worker.once('message', () => {
      worker.off('error', reject);
      resolve(worker);
    });
  });
}

/** Starts `threads` workers; resolves to null when they cannot run (no native binding). */
export async function createRecoverPool(threads: number): Promise<RecoverPool | null> {
  let workers: Worker[];
  try {
    workers = await Promise.all(Array.from({ length: threads }, startWorker));
  } catch {
    return null;
  }
  const slots: Slot[] = workers.map((worker) => ({ worker, busy: null }));
  let queue: Pending[] = [];
  let scheduled = false;
  let nextId = 0;
  let broken: Error | null = null;
  const stats: RecoverPoolStats = { messages: 0, items: 0, peakMessagesInFlight: 0 };

  const fail = (error: Error) => {
    broken = error;
    for (const slot of slots) {
      for (const p of slot.busy?.items ?? []) p.reject(error);
      slot.busy = null;
    }
    for (const p of queue.splice(0)) p.reject(error);
  };

  const send = (slot: Slot, items: Pending[]) => {
    const input = new Uint8Array(items.length * ITEM);
    items.forEach((p, i) => {
      input.set(p.digest, i * ITEM);
      input.set(p.signature.rs, i * ITEM + 32);
      input[i * ITEM + 96] = p.signature.recid;
    });
    const id = nextId++;
    slot.busy = { id, items };
    stats.messages++;
    stats.items += items.length;
    const inFlight = slots.filter((s) => s.busy).length;
    stats.peakMessagesInFlight = Math.max(stats.peakMessagesInFlight, inFlight);
    slot.worker.postMessage({ id, input: input.buffer, count: items.length }, [input.buffer]);
  };

  /** Hands what has gathered to the idle workers, split evenly (few items: one worker). */
  const flush = () => {
    scheduled = false;
    if (broken || queue.length === 0) return;
    const idle = slots.filter((s) => !s.busy);
    if (idle.length === 0) return; // the next answer takes them
    const parts = Math.min(idle.length, queue.length < 8 ? 1 : idle.length);
    const items = queue;
    queue = [];
    const size = Math.ceil(items.length / parts);
    for (let i = 0; i < parts; i++) {
      const chunk = items.slice(i * size, (i + 1) * size);
      if (chunk.length > 0) send(idle[i]!, chunk);
    }
  };

  for (const slot of slots) {
    slot.worker.on('message', ({ id, output }: { id: number; output: ArrayBuffer }) => {
      const busy = slot.busy;
      if (busy?.id !== id) return;
      slot.busy = null;
      flush();
      const out = new Uint8Array(output);
      busy.items.forEach((p, i) => {
        const o = i * 21;
        p.resolve(
          out[o] === 1 ? `0x${Buffer.from(out.subarray(o + 1, o + 21)).toString('hex')}` : null,
        );
      });
    });
    slot.worker.on('error', (error) => fail(error));
    slot.worker.on('exit', (code) => {
      if (!broken) fail(new Error(`a recovery worker exited (code ${code})`));
    });
  }

  return {
    threads,
    recover(digest, signature) {
      if (broken) return Promise.reject(broken);
      return new Promise((resolve, reject) => {
        queue.push({ digest, signature, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    stats: () => ({ ...stats }),
    async close() {
      broken = broken ?? new Error('the recovery pool is closed');
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
