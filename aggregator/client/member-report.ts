/**
 * A member's DAP-09 report, built by our own client because the `@divviup/dap` client cannot add
 * report extensions: shard the measurement with Prio3SumVec (as that client does:
 * `shardEncoded(measurement, reportId, rand)`), sign the upload (extension/protocol/
 * dap-upload-signature.ts) and seal both plaintext input shares, each carrying the signature
 * extension, with HPKE under the draft's `info` and AAD. Bytes equal in layout to the real
 * client's (report-builder tests decode both with our codec).
 *
 * No Node-only API: randomness is `crypto.getRandomValues` (or injected), `Buffer` is the `buffer`
 * module the Prio3 library itself uses (Node's own in Node, the npm package in a bundle), so the
 * extension can bundle this file as it bundles the real client.
 */
import type { Prio3SumVec } from '@divviup/prio3';
import { Buffer } from 'buffer';
import type { UnionDomain } from '../../extension/protocol/eip712.ts';
import {
  encodeMemberSignature,
  MEMBER_SIGNATURE_EXTENSION,
  signDapUpload,
  type TypedDataSigner,
} from '../../extension/protocol/dap-upload-signature.ts';
import { encode } from '../dap/codec.ts';
import { inputShareInfo, Role, seal, type AggregatorRole } from '../dap/hpke.ts';
import {
  inputShareAadCodec,
  plaintextInputShareCodec,
  REPORT_ID_LENGTH,
  reportCodec,
  type Extension,
  type HpkeConfig,
  type Report,
  type ReportMetadata,
} from '../dap/upload.ts';

export interface MemberReportTask {
  readonly taskId: Uint8Array;
  readonly vdaf: Prio3SumVec;
  readonly timePrecisionSeconds: number;
  readonly leaderHpkeConfig: HpkeConfig;
  readonly helperHpkeConfig: HpkeConfig;
  /** The union's EIP-712 domain (`unionDomain(chainId, dataUnion)`). */
  readonly domain: UnionDomain;
}

export interface MemberSigner {
  readonly member: string;
  readonly signer: TypedDataSigner;
}

export interface MemberReportInput {
  readonly measurement: readonly number[];
  /** Seconds since the Unix epoch; rounded down to the task's time precision (the epoch start). */
  readonly time: number;
  /** `null` builds the report the real client would, with no extension. */
  readonly signedBy: MemberSigner | null;
  readonly randomBytes?: (length: number) => Uint8Array;
}

export interface MemberReport {
  readonly report: Report;
  /** The `application/dap-report` body to `PUT /tasks/{task}/reports`. */
  readonly bytes: Uint8Array;
}

const webRandom = (length: number) => crypto.getRandomValues(new Uint8Array(length));

/** A measurement split into shares, before sealing: what the signature is computed over. */
export interface ShardedReport {
  readonly metadata: ReportMetadata;
  readonly publicShare: Uint8Array;
  readonly leaderShare: Uint8Array;
  readonly helperShare: Uint8Array;
}

export async function shardMeasurement(
  task: Pick<MemberReportTask, 'vdaf' | 'timePrecisionSeconds'>,
  measurement: readonly number[],
  time: number,
  random: (length: number) => Uint8Array = webRandom,
): Promise<ShardedReport> {
  const reportId = random(REPORT_ID_LENGTH);
  const { publicShare, inputShares } = await task.vdaf.shardEncoded(
    [...measurement],
    Buffer.from(reportId),
    Buffer.from(random(task.vdaf.randSize)),
  );
  const [leaderShare, helperShare] = inputShares;
  if (leaderShare === undefined || helperShare === undefined) {
    throw new RangeError('A DAP-09 task has exactly two aggregators.');
  }
  const precision = task.timePrecisionSeconds;
  return {
    metadata: { reportId, time: Math.floor(time / precision) * precision },
    publicShare: new Uint8Array(publicShare),
    leaderShare: new Uint8Array(leaderShare),
    helperShare: new Uint8Array(helperShare),
  };
}

/** Seals both input shares, each with `extensions`, under the draft's `info` and AAD. */
export async function sealReport(
  task: Pick<MemberReportTask, 'taskId' | 'leaderHpkeConfig' | 'helperHpkeConfig'>,
  sharded: ShardedReport,
  extensions: readonly Extension[],
): Promise<MemberReport> {
  const { metadata, publicShare } = sharded;
  const aad = encode(inputShareAadCodec, { taskId: task.taskId, metadata, publicShare });
  const sealFor = (role: AggregatorRole, config: HpkeConfig, payload: Uint8Array) =>
    seal(
      config,
      inputShareInfo(role),
      encode(plaintextInputShareCodec, { extensions, payload }),
      aad,
    );
  const report: Report = {
    metadata,
    publicShare,
    leaderEncryptedInputShare: await sealFor(
      Role.leader,
      task.leaderHpkeConfig,
      sharded.leaderShare,
    ),
    helperEncryptedInputShare: await sealFor(
      Role.helper,
      task.helperHpkeConfig,
      sharded.helperShare,
    ),
  };
  return { report, bytes: encode(reportCodec, report) };
}

/** The member signature extension for a sharded report. */
export async function memberSignatureExtension(
  task: MemberReportTask,
  sharded: ShardedReport,
  signedBy: MemberSigner,
): Promise<Extension> {
  const signed = await signDapUpload(signedBy.signer, task.domain, {
    member: signedBy.member,
    taskId: task.taskId,
    reportId: sharded.metadata.reportId,
    epochStart: sharded.metadata.time,
    publicShare: sharded.publicShare,
  });
  return { type: MEMBER_SIGNATURE_EXTENSION, data: encodeMemberSignature(signed) };
}

export async function buildMemberReport(
  task: MemberReportTask,
  input: MemberReportInput,
): Promise<MemberReport> {
  const sharded = await shardMeasurement(task, input.measurement, input.time, input.randomBytes);
  const extensions =
    input.signedBy === null ? [] : [await memberSignatureExtension(task, sharded, input.signedBy)];
  return sealReport(task, sharded, extensions);
}
