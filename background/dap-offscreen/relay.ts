/**
 * The smallest shared piece of the DAP report worker's plumbing (no imports, so the offscreen
 * document loads almost nothing): the worker's start, one request relayed to it, and the target
 * that marks the service worker's messages for the offscreen document.
 */
export const DAP_OFFSCREEN_TARGET = 'crowdsell-dap-offscreen';

export function startDapWorker(): Worker {
  return new Worker(new URL('./dap-worker.ts', import.meta.url), { type: 'module' });
}

/** Relays one request to `worker` and resolves with its raw answer (validated by the caller). */
export function relay(worker: Worker, message: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    worker.addEventListener('message', (e: MessageEvent<unknown>) => resolve(e.data), {
      once: true,
    });
    worker.postMessage(message);
  });
}
