/**
 * What each aggregator keeps per batch (DAP-09 §4.5.3): the running sum of its output shares, the
 * report count, and the checksum — the XOR of SHA-256 of every report id aggregated — which the
 * leader sends in `AggregateShareReq` so the helper can confirm both aggregated the same reports.
 */
import type { Prio3SumVec } from '@divviup/prio3';
import { createHash } from 'node:crypto';
import { CHECKSUM_LENGTH } from '../dap/collection.ts';
import type { OutputShare } from './prio3-shares.ts';

export interface BatchAggregation {
  readonly aggregateShare: readonly bigint[];
  readonly reportCount: number;
  readonly checksum: Uint8Array;
}

export function emptyBatch(vdaf: Prio3SumVec): BatchAggregation {
  return {
    aggregateShare: vdaf.aggregate(null, []),
    reportCount: 0,
    checksum: new Uint8Array(CHECKSUM_LENGTH),
  };
}

export function addToBatch(
  vdaf: Prio3SumVec,
  batch: BatchAggregation,
  reportId: Uint8Array,
  outputShare: OutputShare,
): BatchAggregation {
  const digest = createHash('sha256').update(reportId).digest();
  return mergeBatches(vdaf, batch, {
    aggregateShare: outputShare,
    reportCount: 1,
    checksum: new Uint8Array(digest),
  });
}

/** Two disjoint sets of reports' aggregations as one (a batch interval spanning stored buckets). */
export function mergeBatches(
  vdaf: Prio3SumVec,
  a: BatchAggregation,
  b: BatchAggregation,
): BatchAggregation {
  return {
    aggregateShare: vdaf.aggregate(null, [[...a.aggregateShare], [...b.aggregateShare]]),
    reportCount: a.reportCount + b.reportCount,
    checksum: a.checksum.map((byte, i) => byte ^ (b.checksum[i] ?? 0)),
  };
}
