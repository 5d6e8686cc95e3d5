/**
 * The worker the DAP offscreen document spawns (Chrome): shards and seals one upload at a time with
 * the Prio3/HPKE code, which only this worker's bundle contains. Requests are validated here; no
 * key ever reaches it (the member signature is made in the service worker's vault).
 */
// First: zod must never try `new Function` under the MV3 CSP (see the module).
import '../../extension/app/zod-config.ts';

import { sealUpload, shardForUpload } from '../../extension/dap/build-upload.ts';
import { toErrorPayload } from '../../extension/protocol/errors.ts';
import { z } from 'zod';

import { sealRequest, shardRequest } from '../../extension/dap/dap-crypto-requests.ts';
import { DAP_OFFSCREEN_TARGET } from './relay.ts';
import type { DapOffscreenAnswer } from './wire.ts';

const dapRequest = z.discriminatedUnion('op', [
  z.object({
    target: z.literal(DAP_OFFSCREEN_TARGET),
    op: z.literal('shard'),
    request: shardRequest,
  }),
  z.object({
    target: z.literal(DAP_OFFSCREEN_TARGET),
    op: z.literal('seal'),
    request: sealRequest,
  }),
]);

async function answer(message: unknown): Promise<DapOffscreenAnswer> {
  const parsed = dapRequest.safeParse(message);
  if (!parsed.success) {
    return {
      ok: false,
      error: { code: 'BAD_REQUEST', message: 'The DAP request is malformed.' },
    };
  }
  try {
    const { data } = parsed;
    const result =
      data.op === 'shard' ? await shardForUpload(data.request) : await sealUpload(data.request);
    return { ok: true, result };
  } catch (error) {
    return { ok: false, error: toErrorPayload(error) };
  }
}

self.addEventListener('message', (event: MessageEvent<unknown>) => {
  void answer(event.data).then((reply) => self.postMessage(reply));
});
