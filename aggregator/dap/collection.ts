/**
 * DAP-09 collection sub-protocol messages (§4.6): collector → leader (CollectionReq, Collection) and
 * leader → helper (AggregateShareReq, AggregateShare), time-interval queries only.
 */
import type { Codec } from './codec.ts';
import {
  batchIntervalSelectorCodec,
  intervalCodec,
  partialTimeIntervalCodec,
  type Interval,
} from './batch.ts';
import { hpkeCiphertextCodec, TASK_ID_LENGTH, type HpkeCiphertext } from './upload.ts';

/** The XOR of the SHA-256 of every report id in the batch (§4.6.3). */
export const CHECKSUM_LENGTH = 32;

/** `struct { Query query; opaque agg_param<0..2^32-1>; } CollectionReq;` */
export interface CollectionReq {
  readonly batchInterval: Interval;
  readonly aggregationParameter: Uint8Array;
}

export const collectionReqCodec: Codec<CollectionReq> = {
  write(w, req) {
    batchIntervalSelectorCodec.write(w, req.batchInterval);
    w.opaque32(req.aggregationParameter);
  },
  read: (r) => ({
    batchInterval: batchIntervalSelectorCodec.read(r),
    aggregationParameter: r.opaque32('the aggregation parameter'),
  }),
};

/** `struct { PartialBatchSelector; uint64 report_count; Interval interval; HpkeCiphertext leader…; HpkeCiphertext helper…; } Collection;` */
export interface Collection {
  readonly reportCount: number;
  readonly interval: Interval;
  readonly leaderEncryptedAggregateShare: HpkeCiphertext;
  readonly helperEncryptedAggregateShare: HpkeCiphertext;
}

export const collectionCodec: Codec<Collection> = {
  write(w, c) {
    partialTimeIntervalCodec.write(w, null);
    w.u64(c.reportCount);
    intervalCodec.write(w, c.interval);
    hpkeCiphertextCodec.write(w, c.leaderEncryptedAggregateShare);
    hpkeCiphertextCodec.write(w, c.helperEncryptedAggregateShare);
  },
  read(r) {
    partialTimeIntervalCodec.read(r);
    return {
      reportCount: r.u64('the report count'),
      interval: intervalCodec.read(r),
      leaderEncryptedAggregateShare: hpkeCiphertextCodec.read(r),
      helperEncryptedAggregateShare: hpkeCiphertextCodec.read(r),
    };
  },
};

/** `struct { BatchSelector batch_selector; opaque agg_param<0..2^32-1>; uint64 report_count; opaque checksum[32]; } AggregateShareReq;` */
export interface AggregateShareReq {
  readonly batchInterval: Interval;
  readonly aggregationParameter: Uint8Array;
  readonly reportCount: number;
  readonly checksum: Uint8Array;
}

export const aggregateShareReqCodec: Codec<AggregateShareReq> = {
  write(w, req) {
    batchIntervalSelectorCodec.write(w, req.batchInterval);
    w.opaque32(req.aggregationParameter);
    w.u64(req.reportCount);
    w.fixed(req.checksum, CHECKSUM_LENGTH, 'report id checksum');
  },
  read: (r) => ({
    batchInterval: batchIntervalSelectorCodec.read(r),
    aggregationParameter: r.opaque32('the aggregation parameter'),
    reportCount: r.u64('the report count'),
    checksum: r.fixed(CHECKSUM_LENGTH, 'the report id checksum'),
  }),
};

/** `struct { HpkeCiphertext encrypted_aggregate_share; } AggregateShare;` */
export const aggregateShareCodec: Codec<HpkeCiphertext> = hpkeCiphertextCodec;

/** `struct { TaskID task_id; opaque agg_param<0..2^32-1>; BatchSelector batch_selector; } AggregateShareAad;` */
export interface AggregateShareAad {
  readonly taskId: Uint8Array;
  readonly aggregationParameter: Uint8Array;
  readonly batchInterval: Interval;
}

export const aggregateShareAadCodec: Codec<AggregateShareAad> = {
  write(w, a) {
    w.fixed(a.taskId, TASK_ID_LENGTH, 'task id');
    w.opaque32(a.aggregationParameter);
    batchIntervalSelectorCodec.write(w, a.batchInterval);
  },
  read: (r) => ({
    taskId: r.fixed(TASK_ID_LENGTH, 'the task id'),
    aggregationParameter: r.opaque32('the aggregation parameter'),
    batchInterval: batchIntervalSelectorCodec.read(r),
  }),
};
