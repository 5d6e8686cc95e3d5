/**
 * What the DAP report worker answers to one message: the request validated (a malformed one is
 * `BAD_REQUEST`), then sharded or sealed with the Prio3/HPKE code; a failure becomes its stable
 * code and sentence. Pure of the worker's globals, so Node tests drive it directly.
 */
import { z } from 'zod';

import { sealUpload, shardForUpload } from '../../extension/dap/build-upload.ts';
import { sealRequest, shardRequest } from '../../extension/dap/dap-crypto-requests.ts';
import { toErrorPayload } from '../../extension/protocol/errors.ts';
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

export async function answerDapRequest(message: unknown): Promise<DapOffscreenAnswer> {
  const parsed = dapRequest.safeParse(message);
  if (!parsed.success) {
    return { ok: false, error: { code: 'BAD_REQUEST', message: 'The DAP request is malformed.' } };
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
