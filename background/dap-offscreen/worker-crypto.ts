/**
 * `DapCrypto` over the module worker that holds the Prio3/HPKE code (`dap-worker.ts`): used by
 * Chrome's offscreen document and, directly, by Firefox's background event page (a document, which
 * may start a worker). The worker is started on the first request and stopped by `done()`; one
 * request at a time, so each answer belongs to the request before it. Answers are validated.
 */
import type { z } from 'zod';

import { sealedWire, shardedWire, type DapCrypto } from '../../extension/dap/dap-crypto.ts';
import { CrowdsellError } from '../../extension/protocol/errors.ts';
import { DAP_OFFSCREEN_TARGET, relay, startDapWorker } from './relay.ts';
import { dapOffscreenAnswer, type DapOffscreenRequest } from './wire.ts';

/** A result the core can trust, or a `CrowdsellError` with the builder's code and sentence. */
export function resultOf<T>(answer: unknown, schema: z.ZodType<T>): T {
  const parsed = dapOffscreenAnswer.safeParse(answer);
  if (!parsed.success) {
    throw new CrowdsellError('DAP_BUILDER_FAILED', 'The report builder gave no usable answer.');
  }
  if (!parsed.data.ok) throw new CrowdsellError(parsed.data.error.code, parsed.data.error.message);
  const result = schema.safeParse(parsed.data.result);
  if (!result.success) {
    throw new CrowdsellError('DAP_BUILDER_FAILED', 'The report builder’s answer is malformed.');
  }
  return result.data;
}

/** `DapCrypto` whose every request goes through `send` (a worker here, or a message to one). */
export function dapCryptoOver(
  send: (request: DapOffscreenRequest) => Promise<unknown>,
  done: () => Promise<void>,
): DapCrypto {
  let queue: Promise<unknown> = Promise.resolve();
  const call = <T>(request: DapOffscreenRequest, schema: z.ZodType<T>): Promise<T> => {
    const next = queue.then(async () => resultOf(await send(request), schema));
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    shard: (request) => call({ target: DAP_OFFSCREEN_TARGET, op: 'shard', request }, shardedWire),
    seal: (request) => call({ target: DAP_OFFSCREEN_TARGET, op: 'seal', request }, sealedWire),
    done,
  };
}

/** The worker in this document: started on demand, stopped after each report. */
export function localWorkerDapCrypto(): DapCrypto {
  let worker: Worker | null = null;
  return dapCryptoOver(
    (request) => relay((worker ??= startDapWorker()), request),
    () => {
      worker?.terminate();
      worker = null;
      return Promise.resolve();
    },
  );
}
