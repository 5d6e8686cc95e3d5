/**
 * DAP-09 aggregation sub-protocol messages (§4.5), leader ↔ helper, and the VDAF-08 ping-pong
 * message (draft-irtf-cfrg-vdaf-08 §5.8) they carry as opaque payloads.
 */
import { nested32, readEnum, type Codec } from './codec.ts';
import { partialTimeIntervalCodec } from './batch.ts';
import {
  hpkeCiphertextCodec,
  REPORT_ID_LENGTH,
  reportMetadataCodec,
  type HpkeCiphertext,
  type ReportMetadata,
} from './upload.ts';

/** `PingPongMessage`: initialize(prep_share) | continue(prep_msg, prep_share) | finish(prep_msg). */
export type PingPongMessage =
  | { readonly type: 'initialize'; readonly prepShare: Uint8Array }
  | { readonly type: 'continue'; readonly prepMsg: Uint8Array; readonly prepShare: Uint8Array }
  | { readonly type: 'finish'; readonly prepMsg: Uint8Array };

export const pingPongMessageCodec: Codec<PingPongMessage> = {
  write(w, m) {
    switch (m.type) {
      case 'initialize':
        w.u8(0);
        w.opaque32(m.prepShare);
        return;
      case 'continue':
        w.u8(1);
        w.opaque32(m.prepMsg);
        w.opaque32(m.prepShare);
        return;
      case 'finish':
        w.u8(2);
        w.opaque32(m.prepMsg);
    }
  },
  read(r) {
    switch (readEnum(r, [0, 1, 2], 'the ping-pong message type')) {
      case 0:
        return { type: 'initialize', prepShare: r.opaque32('the preparation share') };
      case 1:
        return {
          type: 'continue',
          prepMsg: r.opaque32('the preparation message'),
          prepShare: r.opaque32('the preparation share'),
        };
      default:
        return { type: 'finish', prepMsg: r.opaque32('the preparation message') };
    }
  },
};

const nestedPingPong = nested32(pingPongMessageCodec, 'ping-pong message');

/** `struct { ReportMetadata report_metadata; opaque public_share<0..2^32-1>; HpkeCiphertext encrypted_input_share; } ReportShare;` */
export interface ReportShare {
  readonly metadata: ReportMetadata;
  readonly publicShare: Uint8Array;
  readonly encryptedInputShare: HpkeCiphertext;
}

const reportShareCodec: Codec<ReportShare> = {
  write(w, s) {
    reportMetadataCodec.write(w, s.metadata);
    w.opaque32(s.publicShare);
    hpkeCiphertextCodec.write(w, s.encryptedInputShare);
  },
  read(r) {
    return {
      metadata: reportMetadataCodec.read(r),
      publicShare: r.opaque32('the public share'),
      encryptedInputShare: hpkeCiphertextCodec.read(r),
    };
  },
};

/** `struct { ReportShare report_share; opaque payload<0..2^32-1>; } PrepareInit;` */
export interface PrepareInit {
  readonly reportShare: ReportShare;
  readonly message: PingPongMessage;
}

const prepareInitCodec: Codec<PrepareInit> = {
  write(w, p) {
    reportShareCodec.write(w, p.reportShare);
    nestedPingPong.write(w, p.message);
  },
  read: (r) => ({ reportShare: reportShareCodec.read(r), message: nestedPingPong.read(r) }),
};

/** `struct { opaque agg_param<0..2^32-1>; PartialBatchSelector part_batch_selector; PrepareInit prepare_inits<1..2^32-1>; } AggregationJobInitReq;` */
export interface AggregationJobInitReq {
  readonly aggregationParameter: Uint8Array;
  readonly prepareInits: readonly PrepareInit[];
}

export const aggregationJobInitReqCodec: Codec<AggregationJobInitReq> = {
  write(w, req) {
    w.opaque32(req.aggregationParameter);
    partialTimeIntervalCodec.write(w, null);
    w.vec32(prepareInitCodec, req.prepareInits);
  },
  read(r) {
    const aggregationParameter = r.opaque32('the aggregation parameter');
    partialTimeIntervalCodec.read(r);
    return { aggregationParameter, prepareInits: r.vec32(prepareInitCodec, 'the prepare inits') };
  },
};

/** `struct { ReportID report_id; opaque payload<0..2^32-1>; } PrepareContinue;` */
export interface PrepareContinue {
  readonly reportId: Uint8Array;
  readonly message: PingPongMessage;
}

const prepareContinueCodec: Codec<PrepareContinue> = {
  write(w, p) {
    w.fixed(p.reportId, REPORT_ID_LENGTH, 'report id');
    nestedPingPong.write(w, p.message);
  },
  read: (r) => ({
    reportId: r.fixed(REPORT_ID_LENGTH, 'the report id'),
    message: nestedPingPong.read(r),
  }),
};

/** `struct { AggregationJobStep step; PrepareContinue prepare_continues<1..2^32-1>; } AggregationJobContinueReq;` */
export interface AggregationJobContinueReq {
  readonly step: number;
  readonly prepareContinues: readonly PrepareContinue[];
}

export const aggregationJobContinueReqCodec: Codec<AggregationJobContinueReq> = {
  write(w, req) {
    w.u16(req.step);
    w.vec32(prepareContinueCodec, req.prepareContinues);
  },
  read: (r) => ({
    step: r.u16('the aggregation job step'),
    prepareContinues: r.vec32(prepareContinueCodec, 'the prepare continues'),
  }),
};

/** `enum { batch_collected(0), report_replayed(1), … report_too_early(9), (255) } PrepareError;` */
export const PREPARE_ERRORS = [
  'batch_collected',
  'report_replayed',
  'report_dropped',
  'hpke_unknown_config_id',
  'hpke_decrypt_error',
  'vdaf_prep_error',
  'batch_saturated',
  'task_expired',
  'invalid_message',
  'report_too_early',
] as const;
export type PrepareError = (typeof PREPARE_ERRORS)[number];

/** `PrepareResp`: the report id, then continue(payload) | finished | reject(PrepareError). */
export type PrepareResp =
  | { readonly reportId: Uint8Array; readonly state: 'continue'; readonly message: PingPongMessage }
  | { readonly reportId: Uint8Array; readonly state: 'finished' }
  | { readonly reportId: Uint8Array; readonly state: 'reject'; readonly error: PrepareError };

const prepareRespCodec: Codec<PrepareResp> = {
  write(w, p) {
    w.fixed(p.reportId, REPORT_ID_LENGTH, 'report id');
    switch (p.state) {
      case 'continue':
        w.u8(0);
        nestedPingPong.write(w, p.message);
        return;
      case 'finished':
        w.u8(1);
        return;
      case 'reject':
        w.u8(2);
        w.u8(PREPARE_ERRORS.indexOf(p.error));
    }
  },
  read(r) {
    const reportId = r.fixed(REPORT_ID_LENGTH, 'the report id');
    switch (readEnum(r, [0, 1, 2], 'the prepare response state')) {
      case 0:
        return { reportId, state: 'continue', message: nestedPingPong.read(r) };
      case 1:
        return { reportId, state: 'finished' };
      default: {
        const codes = PREPARE_ERRORS.map((_, i) => i);
        const error = PREPARE_ERRORS[readEnum(r, codes, 'the prepare error')];
        if (error === undefined) throw new RangeError('unreachable: readEnum checked the code');
        return { reportId, state: 'reject', error };
      }
    }
  },
};

/** `struct { PrepareResp prepare_resps<1..2^32-1>; } AggregationJobResp;` */
export const aggregationJobRespCodec: Codec<readonly PrepareResp[]> = {
  write: (w, resps) => w.vec32(prepareRespCodec, resps),
  read: (r) => r.vec32(prepareRespCodec, 'the prepare responses'),
};
