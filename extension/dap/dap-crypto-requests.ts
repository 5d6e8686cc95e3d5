/**
 * The shard and seal requests of `dap-crypto.ts`, as the worker that runs them validates them.
 * Apart from the answers so the service worker, which only sends requests, does not carry these
 * schemas.
 */
import { z } from 'zod';

import { hexBytes, shardedWire } from './dap-crypto.ts';

export const dapTaskWire = z.object({
  taskId: z.string(),
  leaderUrl: z.string(),
  helperHpkeConfig: z.string(),
  leaderHpkeConfig: z.string().optional(),
  vdaf: z.object({
    type: z.literal('Prio3SumVec'),
    length: z.number().int().min(1),
    bits: z.number().int().min(1).max(64),
    chunkLength: z.number().int().min(1),
  }),
  timePrecisionSeconds: z.number().int().min(1),
});

export const shardRequest = z.object({
  task: dapTaskWire,
  measurement: z.array(z.number().int().min(0)),
  /** Seconds; rounded down to the task's time precision. */
  time: z.number().int().min(0),
});
export type ShardRequest = z.infer<typeof shardRequest>;

export const sealRequest = z.object({
  task: dapTaskWire,
  /** The leader's `HpkeConfigList` (base64url) when the task does not pin its config. */
  leaderHpkeConfigList: z.string().optional(),
  sharded: shardedWire,
  extensions: z.array(z.object({ type: z.number().int().min(0).max(0xffff), data: hexBytes })),
});
export type SealRequest = z.infer<typeof sealRequest>;
