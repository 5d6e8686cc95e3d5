/**
 * Either aggregator's aggregate share of a batch, noised (the task's central ε,
 * `central-noise.ts`) and sealed to the collector under the AAD naming the task, the aggregation
 * parameter and the batch (DAP-09 §4.6). Neutral ground: the helper's answer to an
 * `AggregateShareReq` and the leader's own share both seal through it, each with its role.
 */
import type { Prio3SumVec } from '@divviup/prio3';
import type { AggregateShareReq } from '../dap/collection.ts';
import { sealAggregateShare, type AggregatorRole } from '../dap/hpke.ts';
import type { HpkeCiphertext, HpkeConfig } from '../dap/upload.ts';
import type { BatchAggregation } from './batch-aggregation.ts';
import { noisyShare, type ShareNoise } from './central-noise.ts';

export function sealNoisyShare(
  role: AggregatorRole,
  vdaf: Prio3SumVec,
  taskId: Uint8Array,
  collectorConfig: HpkeConfig,
  batch: BatchAggregation,
  request: AggregateShareReq,
  noise: ShareNoise,
): Promise<HpkeCiphertext> {
  return sealAggregateShare(
    collectorConfig,
    role,
    vdaf.encodeAggregatorShare(noisyShare(vdaf, batch.aggregateShare, noise)),
    {
      taskId,
      aggregationParameter: request.aggregationParameter,
      batchInterval: request.batchInterval,
    },
  );
}
