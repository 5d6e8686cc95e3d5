/**
 * The member's signature on a DAP report (docs/private-aggregation.md, "Member signatures";
 * docs/decisions.md, "Member signatures on DAP reports"). One source of truth for the extension that signs and both aggregators
 * that verify.
 *
 * What is signed: EIP-712 `DapUpload { member, taskId, reportId, epochStart, publicShare }` under
 * the union's domain (`{ name: "Crowdsell", version: "1", chainId, verifyingContract: DataUnion }`),
 * so a signature is good for one report id of one task of one union on one chain. `epochStart` is
 * the report's DAP time (the client rounds it down to the task's time precision, the epoch).
 * `publicShare` is the Prio3 public share: one joint-randomness part per aggregator, each a
 * commitment to that aggregator's input share, so the signature also pins both input shares
 * (each aggregator checks its own share against its part). Never the measurement.
 *
 * How it travels: DAP-09 has no unencrypted per-report extension, so the member's address and
 * signature ride as one report extension inside BOTH sealed plaintext input shares (a signature
 * inside a ciphertext cannot cover that ciphertext's hash; the public share is what it can cover).
 */
import { getAddress, getBytes, hexlify, verifyTypedData, type TypedDataDomain } from 'ethers';

import { asTypes, dapUploadTypes, type TypedDataTypes, type UnionDomain } from './eip712.ts';
import { CrowdsellError } from './errors.ts';

/**
 * The report extension type carrying the member signature. DAP-09 defines only `TBD(0)` and no
 * private-use range; 0xFF00 is the taskprov draft's provisional code point, so ours sits next to it.
 */
export const MEMBER_SIGNATURE_EXTENSION = 0xff43;

const ADDRESS_BYTES = 20;
const SIGNATURE_BYTES = 65;
/** Extension data: the member's 20-byte address, then the 65-byte signature (r ‖ s ‖ v). */
export const MEMBER_SIGNATURE_DATA_BYTES = ADDRESS_BYTES + SIGNATURE_BYTES;

/** What the member signs about one report. */
export interface DapUpload {
  readonly member: string;
  /** 32 bytes. */
  readonly taskId: Uint8Array;
  /** 16 bytes: the DAP report id (Prio3's nonce). */
  readonly reportId: Uint8Array;
  /** Seconds since the Unix epoch: the report's time, the start of its epoch. */
  readonly epochStart: number;
  readonly publicShare: Uint8Array;
}

export interface MemberSignature {
  /** Checksummed address. */
  readonly member: string;
  readonly signature: Uint8Array;
}

/** The typed data for ethers' `signTypedData` / `verifyTypedData`. */
export function dapUploadTypedData(upload: DapUpload) {
  return {
    types: asTypes(dapUploadTypes),
    primaryType: 'DapUpload' as const,
    message: {
      member: upload.member,
      taskId: hexlify(upload.taskId),
      reportId: hexlify(upload.reportId),
      epochStart: upload.epochStart,
      publicShare: hexlify(upload.publicShare),
    },
  };
}

/** Anything that signs EIP-712 like an ethers `Wallet` (the extension's key vault adapts to it). */
export interface TypedDataSigner {
  signTypedData(
    domain: TypedDataDomain,
    types: TypedDataTypes,
    value: Record<string, unknown>,
  ): Promise<string>;
}

export async function signDapUpload(
  signer: TypedDataSigner,
  domain: UnionDomain,
  upload: DapUpload,
): Promise<MemberSignature> {
  const { types, message } = dapUploadTypedData(upload);
  const signature = getBytes(await signer.signTypedData(domain, types, message));
  return { member: getAddress(upload.member), signature };
}

export function encodeMemberSignature(signed: MemberSignature): Uint8Array {
  if (signed.signature.length !== SIGNATURE_BYTES) {
    throw new RangeError(`A member signature is ${SIGNATURE_BYTES} bytes.`);
  }
  const out = new Uint8Array(MEMBER_SIGNATURE_DATA_BYTES);
  out.set(getBytes(getAddress(signed.member)), 0);
  out.set(signed.signature, ADDRESS_BYTES);
  return out;
}

export function decodeMemberSignature(data: Uint8Array): MemberSignature {
  if (data.length !== MEMBER_SIGNATURE_DATA_BYTES) {
    throw new CrowdsellError(
      'DAP_SIGNATURE_MALFORMED',
      `The member signature extension is ${data.length} bytes; it must be ${MEMBER_SIGNATURE_DATA_BYTES} (address and signature).`,
    );
  }
  return {
    member: getAddress(hexlify(data.subarray(0, ADDRESS_BYTES))),
    signature: data.slice(ADDRESS_BYTES),
  };
}

/**
 * Checks a member signature extension against the report it arrived in; returns the member's
 * checksummed address. Throws `CrowdsellError` (`DAP_SIGNATURE_MALFORMED`, `DAP_SIGNATURE_INVALID`,
 * `DAP_SIGNATURE_WRONG_SIGNER`) with a sentence. Membership is the caller's next check.
 */
export function verifyDapUpload(
  domain: UnionDomain,
  report: Omit<DapUpload, 'member'>,
  extensionData: Uint8Array,
): string {
  const { member, signature } = decodeMemberSignature(extensionData);
  const { types, message } = dapUploadTypedData({ ...report, member });
  let recovered: string;
  try {
    recovered = verifyTypedData(domain, types, message, hexlify(signature));
  } catch {
    throw new CrowdsellError('DAP_SIGNATURE_INVALID', 'The member signature does not parse.');
  }
  if (recovered !== member) {
    throw new CrowdsellError(
      'DAP_SIGNATURE_WRONG_SIGNER',
      `The report is not signed by ${member} for this task, report id, epoch and public share.`,
    );
  }
  return member;
}
