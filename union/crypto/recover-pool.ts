/**
 * A small pool of worker threads doing native signer recovery, so the ≈ 60 µs of elliptic-curve
 * work per report runs beside the event loop instead of on it. Requests are micro-batched: every
 * recovery asked for in one turn of the event loop travels to the workers as one transferred
 * buffer (32-byte digest ‖ 64-byte r‖s ‖ recid per item), split evenly across the workers;
 * answers come back as 21 bytes an item (ok flag ‖ address).
 *
 * The worker is plain CommonJS evaluated from a string (no TypeScript loader needed in the
 * thread, under tsx and vitest alike) and requires the native binding by absolute path.
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
  inFlight: Map<number, Pending[]>;
  load: number;
}

export interface RecoverPool {
  readonly threads: number;
  recover(digest: Uint8Array, signature: CompactSignature): Promise<string | null>;
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
  const slots: Slot[] = workers.map((worker) => ({ worker, inFlight: new Map(), load: 0 }));
  let queue: Pending[] = [];
  let scheduled = false;
  let nextId = 0;
  let broken: Error | null = null;

  const fail = (error: Error) => {
    broken = error;
    for (const slot of slots) {
      for (const items of slot.inFlight.values()) for (const p of items) p.reject(error);
      slot.inFlight.clear();
    }
  };

  for (const slot of slots) {
    slot.worker.on('message', ({ id, output }: { id: number; output: ArrayBuffer }) => {
      const items = slot.inFlight.get(id);
      if (!items) return;
      slot.inFlight.delete(id);
      slot.load -= items.length;
      const out = new Uint8Array(output);
      items.forEach((p, i) => {
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

  const send = (slot: Slot, items: Pending[]) => {
    const input = new Uint8Array(items.length * ITEM);
    items.forEach((p, i) => {
      input.set(p.digest, i * ITEM);
      input.set(p.signature.rs, i * ITEM + 32);
      input[i * ITEM + 96] = p.signature.recid;
    });
    const id = nextId++;
    slot.inFlight.set(id, items);
    slot.load += items.length;
    slot.worker.postMessage({ id, input: input.buffer, count: items.length }, [input.buffer]);
  };

  const flush = () => {
    scheduled = false;
    const items = queue;
    queue = [];
    if (items.length === 0) return;
    // Few items: the least-loaded worker takes them all; many: split evenly.
    const parts = items.length < 8 ? 1 : slots.length;
    const ordered = [...slots].sort((a, b) => a.load - b.load);
    const size = Math.ceil(items.length / parts);
    for (let i = 0; i < parts; i++) {
      const chunk = items.slice(i * size, (i + 1) * size);
      if (chunk.length > 0) send(ordered[i]!, chunk);
    }
  };

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
    async close() {
      broken = broken ?? new Error('the recovery pool is closed');
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
