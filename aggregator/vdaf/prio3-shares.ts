/**
 * Byte encodings of Prio3 (VDAF-08 §7.2.6) that `@divviup/prio3` writes but does not read back:
 * public share, input shares, preparation shares and messages, aggregate shares. Encoding only:
 * the helper's share is two XOF seeds, expanded with the library's own XOF exactly as its
 * `shard` derived them (usages 1 and 2 of VDAF-08 §7.2.1); no cryptography is implemented here.
 */
import type { Prio3SumVec } from '@divviup/prio3';
import { Buffer } from 'node:buffer';

type Vdaf = Prio3SumVec;
export type PublicShare = Parameters<Vdaf['prepareInit']>[4];
export type InputShare = Parameters<Vdaf['prepareInit']>[5];
export type PrepShare = Parameters<Vdaf['unshardPreparationShares']>[1][number];
export type PrepMessage = Awaited<ReturnType<Vdaf['unshardPreparationShares']>>;
export type OutputShare = Parameters<Vdaf['aggregate']>[1][number];

/** Bytes that do not decode as this task's Prio3 shares (DAP reports it as `invalid_message`). */
export class Prio3DecodeError extends Error {
  override readonly name = 'Prio3DecodeError';
  readonly code = 'invalid_message';
}

const USAGE_MEASUREMENT_SHARE = 1;
const USAGE_PROOF_SHARE = 2;

function sizes(vdaf: Vdaf) {
  const { flp, proofs, xof } = vdaf;
  const element = flp.field.encodedSize;
  return {
    seed: xof.seedSize,
    measurement: flp.measurementLen * element,
    proofs: flp.proofLen * proofs * element,
    verifiers: flp.verifierLen * proofs * element,
  };
}

function expect(bytes: Uint8Array, length: number, what: string): Buffer {
  if (bytes.length !== length) {
    throw new Prio3DecodeError(`The ${what} is ${bytes.length} bytes; this task's is ${length}.`);
  }
  return Buffer.from(bytes);
}

type FieldShape = Pick<Vdaf['flp']['field'], 'encodedSize' | 'modulus'>;

/** The little-endian integer of `size` bytes (a multiple of 8) at `offset`, 64 bits at a time. */
function readInteger(view: DataView, offset: number, size: number): bigint {
  let n = 0n;
  for (let word = size - 8; word >= 0; word -= 8) {
    n = (n << 64n) | view.getBigUint64(offset + word, true);
  }
  return n;
}

function checkWholeElements(field: FieldShape, bytes: Uint8Array): void {
  if (field.encodedSize % 8 !== 0 || bytes.length % field.encodedSize !== 0) {
    throw new RangeError(
      `${bytes.length} bytes are not a vector of ${field.encodedSize}-byte field elements.`,
    );
  }
}

const viewOf = (bytes: Uint8Array) =>
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * A vector of field elements, each `encodedSize` bytes little-endian and below the modulus — what
 * the library's `field.decode` reads, 64 bits at a time instead of a byte at a time (its byte loop
 * was the largest cost of opening a leader share); a test pins the two to the same results.
 */
export function decodeFieldVector(field: FieldShape, bytes: Uint8Array): bigint[] {
  checkWholeElements(field, bytes);
  const view = viewOf(bytes);
  const size = field.encodedSize;
  const out = new Array<bigint>(bytes.length / size);
  for (let i = 0; i < out.length; i++) {
    const n = readInteger(view, i * size, size);
    if (n >= field.modulus) throw new RangeError(`Element ${i} is not in the field.`);
    out[i] = n;
  }
  return out;
}

/**
 * What the library's `Xof.expandIntoVec` computes, with the library's XOF: candidates of
 * `encodedSize` bytes, little-endian, masked to the modulus's bit length, taken from the XOF stream
 * in order, those at or above the modulus skipped (VDAF-08 §6.2.4). The library asks the XOF for
 * each candidate separately and decodes it a byte at a time (≈ 1.7 ms for a 20-category helper
 * share); here the stream is read in as few calls as the skips allow — a stream read in pieces is
 * the same bytes — and decoded 64 bits at a time. A test pins it to the library's expansion.
 */
export async function expandIntoVec(
  xof: Vdaf['xof'],
  field: FieldShape,
  seed: Uint8Array,
  dst: Uint8Array,
  binder: Uint8Array,
  length: number,
): Promise<bigint[]> {
  const stream = new xof(seed, dst, binder);
  const mask = (1n << BigInt((field.modulus - 1n).toString(2).length)) - 1n;
  const size = field.encodedSize;
  const out: bigint[] = [];
  while (out.length < length) {
    // One candidate per element still missing: never more bytes than the library would read.
    const bytes = await stream.next(size * (length - out.length));
    checkWholeElements(field, bytes);
    const view = viewOf(bytes);
    for (let offset = 0; offset < bytes.length; offset += size) {
      const candidate = readInteger(view, offset, size) & mask;
      if (candidate < field.modulus) out.push(candidate);
    }
  }
  return out;
}

function fieldVector(vdaf: Vdaf, bytes: Uint8Array, what: string): bigint[] {
  try {
    return decodeFieldVector(vdaf.flp.field, bytes);
  } catch (cause) {
    throw new Prio3DecodeError(`The ${what} holds a value outside the field (${String(cause)}).`);
  }
}

/** The joint-randomness parts, one seed per aggregator. A fresh object each call: prepareInit writes into it. */
export function decodePublicShare(vdaf: Vdaf, bytes: Uint8Array): PublicShare {
  const { seed } = sizes(vdaf);
  const all = expect(bytes, seed * vdaf.shares, 'public share');
  return {
    jointRandParts: Array.from({ length: vdaf.shares }, (_, i) =>
      all.subarray(i * seed, (i + 1) * seed),
    ),
  };
}

/** Leader (aggregator 0): measurement share ‖ proof share ‖ blind, the field vectors in full. */
export function decodeLeaderInputShare(vdaf: Vdaf, bytes: Uint8Array): InputShare {
  const s = sizes(vdaf);
  const all = expect(bytes, s.measurement + s.proofs + s.seed, 'leader input share');
  const wireMeasurementShare = all.subarray(0, s.measurement);
  const wireProofShare = all.subarray(s.measurement, s.measurement + s.proofs);
  return {
    measurementShare: fieldVector(vdaf, wireMeasurementShare, 'measurement share'),
    proofsShare: fieldVector(vdaf, wireProofShare, 'proof share'),
    wireMeasurementShare,
    wireProofShare,
    blind: all.subarray(s.measurement + s.proofs),
  };
}

/** A helper (aggregator id ≥ 1): three seeds, expanded with the task's XOF. */
export async function decodeHelperInputShare(
  vdaf: Vdaf,
  aggregatorId: number,
  bytes: Uint8Array,
): Promise<InputShare> {
  const { seed } = sizes(vdaf);
  const all = expect(bytes, 3 * seed, 'helper input share');
  const [wireMeasurementShare, wireProofShare, blind] = [0, 1, 2].map((i) =>
    all.subarray(i * seed, (i + 1) * seed),
  ) as [Buffer, Buffer, Buffer];
  const { flp, xof, proofs } = vdaf;
  const measurementShare = await expandIntoVec(
    xof,
    flp.field,
    wireMeasurementShare,
    vdaf.domainSeparationTag(USAGE_MEASUREMENT_SHARE),
    Buffer.of(aggregatorId),
    flp.measurementLen,
  );
  const proofsShare = await expandIntoVec(
    xof,
    flp.field,
    wireProofShare,
    vdaf.domainSeparationTag(USAGE_PROOF_SHARE),
    Buffer.of(proofs, aggregatorId),
    flp.proofLen * proofs,
  );
  return { measurementShare, proofsShare, wireMeasurementShare, wireProofShare, blind };
}

/** Verifier share ‖ joint-randomness part. */
export function decodePrepShare(vdaf: Vdaf, bytes: Uint8Array): PrepShare {
  const s = sizes(vdaf);
  const all = expect(bytes, s.verifiers + s.seed, 'preparation share');
  return {
    verifiersShare: fieldVector(vdaf, all.subarray(0, s.verifiers), 'verifier share'),
    jointRandomnessPart: all.subarray(s.verifiers),
  };
}

/** The joint-randomness seed both aggregators must agree on. */
export function decodePrepMessage(vdaf: Vdaf, bytes: Uint8Array): PrepMessage {
  return { jointRand: expect(bytes, sizes(vdaf).seed, 'preparation message') };
}

export function decodeAggregateShare(vdaf: Vdaf, bytes: Uint8Array): bigint[] {
  expect(bytes, vdaf.flp.outputLen * vdaf.flp.field.encodedSize, 'aggregate share');
  return fieldVector(vdaf, bytes, 'aggregate share');
}
