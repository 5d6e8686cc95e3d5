/**
 * DAP-09 upload messages (draft-ietf-ppm-dap-09 §4.3 and §4.4): what a client sends to the leader
 * and what an aggregator publishes for clients to encrypt to. Field order mirrors the draft and the
 * `@divviup/dap` 0.9.1 client (see upload.test.ts, which decodes that client's bytes).
 */
import type { Codec, Reader, Writer } from './codec.ts';

export const TASK_ID_LENGTH = 32;
export const REPORT_ID_LENGTH = 16;

export const MEDIA_TYPES = {
  report: 'application/dap-report',
  hpkeConfigList: 'application/dap-hpke-config-list',
  aggregationJobInitReq: 'application/dap-aggregation-job-init-req',
  aggregationJobResp: 'application/dap-aggregation-job-resp',
  aggregateShareReq: 'application/dap-aggregate-share-req',
  aggregateShare: 'application/dap-aggregate-share',
  collectReq: 'application/dap-collect-req',
  collection: 'application/dap-collection',
} as const;

/** `struct { ReportID report_id; Time time; } ReportMetadata;` — time in seconds since the epoch. */
export interface ReportMetadata {
  readonly reportId: Uint8Array;
  readonly time: number;
}

export const reportMetadataCodec: Codec<ReportMetadata> = {
  write(w, m) {
    w.fixed(m.reportId, REPORT_ID_LENGTH, 'report id');
    w.u64(m.time);
  },
  read(r) {
    return { reportId: r.fixed(REPORT_ID_LENGTH, 'the report id'), time: r.u64('the report time') };
  },
};

/** `struct { uint8 config_id; opaque enc<1..2^16-1>; opaque payload<1..2^32-1>; } HpkeCiphertext;` */
export interface HpkeCiphertext {
  readonly configId: number;
  readonly enc: Uint8Array;
  readonly payload: Uint8Array;
}

export const hpkeCiphertextCodec: Codec<HpkeCiphertext> = {
  write(w, c) {
    w.u8(c.configId);
    w.opaque16(c.enc);
    w.opaque32(c.payload);
  },
  read(r) {
    return {
      configId: r.u8('the HPKE config id'),
      enc: r.opaque16('the HPKE encapsulated key'),
      payload: r.opaque32('the HPKE payload'),
    };
  },
};

/** `struct { HpkeConfigId id; HpkeKemId kem_id; HpkeKdfId kdf_id; HpkeAeadId aead_id; HpkePublicKey public_key; } HpkeConfig;` */
export interface HpkeConfig {
  readonly id: number;
  readonly kemId: number;
  readonly kdfId: number;
  readonly aeadId: number;
  readonly publicKey: Uint8Array;
}

export const hpkeConfigCodec: Codec<HpkeConfig> = {
  write(w, c) {
    w.u8(c.id);
    w.u16(c.kemId);
    w.u16(c.kdfId);
    w.u16(c.aeadId);
    w.opaque16(c.publicKey);
  },
  read(r) {
    return {
      id: r.u8('the HPKE config id'),
      kemId: r.u16('the KEM id'),
      kdfId: r.u16('the KDF id'),
      aeadId: r.u16('the AEAD id'),
      publicKey: r.opaque16('the HPKE public key'),
    };
  },
};

/** `HpkeConfig HpkeConfigList<1..2^16-1>;` */
export const hpkeConfigListCodec: Codec<readonly HpkeConfig[]> = {
  write: (w, list) => w.vec16(hpkeConfigCodec, list),
  read: (r) => r.vec16(hpkeConfigCodec, 'the HPKE config list'),
};

/** `struct { Report metadata; opaque public_share<0..2^32-1>; HpkeCiphertext leader…; HpkeCiphertext helper…; } Report;` */
export interface Report {
  readonly metadata: ReportMetadata;
  readonly publicShare: Uint8Array;
  readonly leaderEncryptedInputShare: HpkeCiphertext;
  readonly helperEncryptedInputShare: HpkeCiphertext;
}

export const reportCodec: Codec<Report> = {
  write(w, rep) {
    reportMetadataCodec.write(w, rep.metadata);
    w.opaque32(rep.publicShare);
    hpkeCiphertextCodec.write(w, rep.leaderEncryptedInputShare);
    hpkeCiphertextCodec.write(w, rep.helperEncryptedInputShare);
  },
  read(r) {
    return {
      metadata: reportMetadataCodec.read(r),
      publicShare: r.opaque32('the public share'),
      leaderEncryptedInputShare: hpkeCiphertextCodec.read(r),
      helperEncryptedInputShare: hpkeCiphertextCodec.read(r),
    };
  },
};

/** `struct { ExtensionType extension_type; opaque extension_data<0..2^16-1>; } Extension;` */
export interface Extension {
  readonly type: number;
  readonly data: Uint8Array;
}

const extensionCodec: Codec<Extension> = {
  write(w, e) {
    w.u16(e.type);
    w.opaque16(e.data);
  },
  read: (r: Reader) => ({ type: r.u16('the extension type'), data: r.opaque16('the extension') }),
};

/** `struct { Extension extensions<0..2^16-1>; opaque payload<0..2^32-1>; } PlaintextInputShare;` */
export interface PlaintextInputShare {
  readonly extensions: readonly Extension[];
  readonly payload: Uint8Array;
}

export const plaintextInputShareCodec: Codec<PlaintextInputShare> = {
  write(w: Writer, s) {
    w.vec16(extensionCodec, s.extensions);
    w.opaque32(s.payload);
  },
  read(r) {
    return {
      extensions: r.vec16(extensionCodec, 'the report extensions'),
      payload: r.opaque32('the input share payload'),
    };
  },
};

/** `struct { TaskID task_id; ReportMetadata report_metadata; opaque public_share<0..2^32-1>; } InputShareAad;` */
export interface InputShareAad {
  readonly taskId: Uint8Array;
  readonly metadata: ReportMetadata;
  readonly publicShare: Uint8Array;
}

export const inputShareAadCodec: Codec<InputShareAad> = {
  write(w, a) {
    w.fixed(a.taskId, TASK_ID_LENGTH, 'task id');
    reportMetadataCodec.write(w, a.metadata);
    w.opaque32(a.publicShare);
  },
  read(r) {
    return {
      taskId: r.fixed(TASK_ID_LENGTH, 'the task id'),
      metadata: reportMetadataCodec.read(r),
      publicShare: r.opaque32('the public share'),
    };
  },
};
