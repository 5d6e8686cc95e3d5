/**
 * A fast EIP-712 digest for the fixed `Report` type (DESIGN §3), equal byte for byte to ethers'
 * `TypedDataEncoder.hash(domain, reportTypes, report)` (a property test checks it) but ~50× faster:
 * the generic encoder costs ≈ 210 µs a report, which would make hashing, not signature recovery,
 * the union's ingestion limit. The type strings are derived from `reportTypes`, so the type is
 * still declared once, in eip712.ts.
 *
 * Keccak comes from hash-wasm (WebAssembly, ≈ 1 µs for 64 bytes), hence the async factory: the
 * returned digester is synchronous and reuses one hasher (it is not re-entrant, which a
 * single-threaded caller never needs).
 */
import { getBytes, TypedDataEncoder } from 'ethers';
import { createKeccak, type IHasher } from 'hash-wasm';

import { asTypes, reportTypes, type UnionDomain } from './eip712.ts';
import type { Report } from './wire.ts';

/** EIP-712 `encodeType` for a primary type and the types it references (sorted by name). */
export function encodeType(
  primary: string,
  types: Record<string, readonly { name: string; type: string }[]>,
): string {
  const deps = new Set<string>();
  const visit = (name: string) => {
    for (const field of types[name] ?? []) {
      const base = field.type.replace(/\[\d*\]$/, '');
      if (types[base] && base !== primary && !deps.has(base)) {
        deps.add(base);
        visit(base);
      }
    }
  };
  visit(primary);
  const one = (name: string) =>
    `${name}(${(types[name] ?? []).map((f) => `${f.type} ${f.name}`).join(',')})`;
  return [primary, ...[...deps].sort()].map(one).join('');
}

export interface ReportDigester {
  /** The 32-byte EIP-712 digest (`keccak256(0x1901 ‖ domainSeparator ‖ hashStruct(report))`). */
  digest(report: Report): Uint8Array;
  /** Keccak-256 of arbitrary bytes with the same hasher (e.g. public key → address). */
  keccak(data: Uint8Array): Uint8Array;
}

/** Hex digit values by char code (-1 for non-hex). */
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX_VALUE['0123456789abcdef'.charCodeAt(i)] = i;
  HEX_VALUE['0123456789ABCDEF'.charCodeAt(i)] = i;
}

const hexValue = (code: number): number => (code < 128 ? HEX_VALUE[code]! : -1);

/** Writes a 20-byte address, left-padded to 32 bytes, at `offset` (the 12 pad bytes are zero). */
function writeAddress(out: Uint8Array, offset: number, address: string): void {
  if (address.length !== 42 || address[0] !== '0' || (address[1] !== 'x' && address[1] !== 'X')) {
    throw new TypeError('address must be 0x and 20 bytes of hex');
  }
  out.fill(0, offset, offset + 12);
  for (let i = 0; i < 20; i++) {
    const hi = hexValue(address.charCodeAt(2 + 2 * i));
    const lo = hexValue(address.charCodeAt(3 + 2 * i));
    if (hi < 0 || lo < 0) throw new TypeError('address must be hex');
    out[offset + 12 + i] = (hi << 4) | lo;
  }
}

/** Writes a non-negative safe integer as a 256-bit big-endian word. */
function writeUint(out: Uint8Array, view: DataView, offset: number, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError('expected a uint');
  out.fill(0, offset, offset + 24);
  view.setUint32(offset + 24, Math.floor(value / 2 ** 32));
  view.setUint32(offset + 28, value >>> 0);
}

/** Writes an int32 as a sign-extended 256-bit two's-complement word. */
function writeInt32(out: Uint8Array, view: DataView, offset: number, value: number): void {
  if (!Number.isInteger(value) || value < -(2 ** 31) || value > 2 ** 31 - 1) {
    throw new RangeError('expected an int32');
  }
  out.fill(value < 0 ? 0xff : 0, offset, offset + 28);
  view.setInt32(offset + 28, value);
}

function digestOf(hasher: IHasher, data: Uint8Array): Uint8Array {
  return hasher.init().update(data).digest('binary');
}

export async function createReportDigester(domain: UnionDomain): Promise<ReportDigester> {
  const hasher = await createKeccak(256);
  const utf8 = new TextEncoder();
  const reportTypeHash = digestOf(hasher, utf8.encode(encodeType('Report', reportTypes)));
  const countTypeHash = digestOf(hasher, utf8.encode(encodeType('CategoryCount', reportTypes)));
  const domainSeparator = getBytes(TypedDataEncoder.hashDomain(domain));

  const reportWords = new Uint8Array(6 * 32);
  reportWords.set(reportTypeHash, 0);
  const reportView = new DataView(reportWords.buffer);
  const countWords = new Uint8Array(4 * 32);
  countWords.set(countTypeHash, 0);
  const countView = new DataView(countWords.buffer);
  const final = new Uint8Array(2 + 32 + 32);
  final[0] = 0x19;
  final[1] = 0x01;
  final.set(domainSeparator, 2);

  return {
    keccak: (data) => digestOf(hasher, data),
    digest(report) {
      const counts = report.counts;
      const countHashes = new Uint8Array(32 * counts.length);
      for (let i = 0; i < counts.length; i++) {
        const c = counts[i]!;
        if (!Number.isInteger(c.category) || c.category < 0 || c.category > 0xffff) {
          throw new RangeError('category must be a uint16');
        }
        writeUint(countWords, countView, 32, c.category);
        writeInt32(countWords, countView, 64, c.visits);
        writeInt32(countWords, countView, 96, c.activeSeconds);
        countHashes.set(digestOf(hasher, countWords), 32 * i);
      }
      if (report.epochSeconds > 0xffffffff || report.configVersion > 0xffffffff) {
        throw new RangeError('epochSeconds and configVersion are uint32');
      }
      writeAddress(reportWords, 32, report.member);
      writeUint(reportWords, reportView, 64, report.epochStart);
      writeUint(reportWords, reportView, 96, report.epochSeconds);
      writeUint(reportWords, reportView, 128, report.configVersion);
      reportWords.set(digestOf(hasher, countHashes), 160);
      final.set(digestOf(hasher, reportWords), 34);
      return digestOf(hasher, final);
    },
  };
}

/** The reference digest (ethers' generic encoder): slow, used by tests and as a cross-check. */
export function referenceReportDigest(domain: UnionDomain, report: Report): string {
  return TypedDataEncoder.hash(domain, asTypes(reportTypes), report);
}
