/**
 * Bundled for Chromium by `bench/report-build-chromium.ts`: one member's DAP upload built with the
 * extension's own steps — shard (Prio3SumVec), sign (EIP-712, as the vault signs), seal (HPKE to
 * the leader and the helper) — timed per report inside the page.
 */
import { getBytes, hexlify, SigningKey, TypedDataEncoder } from 'ethers';

import { sealUpload, shardForUpload } from '../extension/dap/build-upload.ts';
import type { SealRequest } from '../extension/dap/dap-crypto-requests.ts';
import { base64UrlBytes } from '../extension/protocol/config-aggregation.ts';
import {
  dapUploadTypedData,
  encodeMemberSignature,
  MEMBER_SIGNATURE_EXTENSION,
} from '../extension/protocol/dap-upload-signature.ts';
import type { UnionDomain } from '../extension/protocol/eip712.ts';

export interface BenchInput {
  task: SealRequest['task'];
  measurement: number[];
  time: number;
  domain: UnionDomain;
  privateKey: string;
  member: string;
  reports: number;
}

async function buildOne(input: BenchInput, key: SigningKey): Promise<number> {
  const start = performance.now();
  const sharded = await shardForUpload({
    task: input.task,
    measurement: input.measurement,
    time: input.time,
  });
  const { types, message } = dapUploadTypedData({
    member: input.member,
    taskId: base64UrlBytes(input.task.taskId) ?? new Uint8Array(),
    reportId: getBytes(sharded.reportId),
    epochStart: sharded.time,
    publicShare: getBytes(sharded.publicShare),
  });
  const signature = key.sign(TypedDataEncoder.hash(input.domain, types, message)).serialized;
  const data = encodeMemberSignature({
    member: input.member,
    signature: getBytes(signature),
  });
  await sealUpload({
    task: input.task,
    sharded,
    extensions: [{ type: MEMBER_SIGNATURE_EXTENSION, data: hexlify(data) }],
  });
  return performance.now() - start;
}

async function run(input: BenchInput): Promise<number[]> {
  const key = new SigningKey(input.privateKey);
  const times: number[] = [];
  for (let i = 0; i < input.reports; i++) times.push(await buildOne(input, key));
  return times;
}

(globalThis as unknown as { runReportBuild: typeof run }).runReportBuild = run;
