/**
 * The messages between the service worker and its DAP offscreen document (Chrome), and between
 * that document and its worker: `{ target, op, request }` → `{ ok, result | error }`. The target
 * keeps the document from answering the popup's messages to the service worker. The worker
 * validates requests (`dap-worker.ts`), the service worker answers (`worker-crypto.ts`).
 */
import { z } from 'zod';

import type { SealRequest, ShardRequest } from '../../extension/dap/dap-crypto-requests.ts';
import { errorView } from '../../extension/protocol/message-views.ts';
import type { DAP_OFFSCREEN_TARGET } from './relay.ts';

export type DapOffscreenRequest =
  | { target: typeof DAP_OFFSCREEN_TARGET; op: 'shard'; request: ShardRequest }
  | { target: typeof DAP_OFFSCREEN_TARGET; op: 'seal'; request: SealRequest };

export const dapOffscreenAnswer = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: errorView }),
]);
export type DapOffscreenAnswer = z.infer<typeof dapOffscreenAnswer>;
