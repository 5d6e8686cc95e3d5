/**
 * The two heavy steps of a DAP upload, as a seam the service worker can host elsewhere: `shard`
 * (Prio3SumVec: report id, public share, both input shares) and `seal` (both shares, with the
 * member-signature extension, sealed with HPKE to the leader and the helper). The member signature
 * is made between the two, in the worker's vault, so no key crosses this seam — only shares,
 * public data and a signature.
 *
 * Why a seam: Chrome forbids `import()` in a service worker ("disallowed on ServiceWorkerGlobalScope
 * by the HTML specification") and a service worker cannot start a worker, so it cannot load the
 * Prio3 code on demand itself. The extension runs these steps in a module worker started when a
 * report is built (`background/dap-offscreen/`): Chrome's service worker reaches it through an
 * offscreen document, Firefox's event page starts it directly. Node tests import the code
 * in-process (`in-process-crypto.ts`). Requests and answers are plain JSON (hex and base64url
 * strings), validated where they are received: requests in the worker (`dap-crypto-requests.ts`),
 * answers here.
 */
import { z } from 'zod';

import type { SealRequest, ShardRequest } from './dap-crypto-requests.ts';

export const hexBytes = z.string().regex(/^0x([0-9a-f]{2})*$/, 'hex bytes');

export const shardedWire = z.object({
  reportId: hexBytes,
  time: z.number().int().min(0),
  publicShare: hexBytes,
  leaderShare: hexBytes,
  helperShare: hexBytes,
});
export type ShardedWire = z.infer<typeof shardedWire>;

export const sealedWire = z.object({ bytes: hexBytes });
export type SealedWire = z.infer<typeof sealedWire>;

export interface DapCrypto {
  shard(request: ShardRequest): Promise<ShardedWire>;
  seal(request: SealRequest): Promise<SealedWire>;
  /** Called after each report (built or not): a host may free what it started for it. */
  done?(): Promise<void>;
}
