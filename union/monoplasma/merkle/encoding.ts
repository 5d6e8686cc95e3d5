/**
 * Byte-level encoding of Merkle leaves: `abi.encode(address, uint256)` is 12 zero bytes, the
 * 20-byte address, then the 32-byte big-endian total. Entries are kept packed (20 bytes of
 * address and 32 bytes of total per member) in SharedArrayBuffers so worker threads can hash
 * them without copying and without one JS object per leaf.
 */
import { MerkleError } from './errors.ts';

export const ADDRESS_BYTES = 20;
export const TOTAL_BYTES = 32;
export const HASH_BYTES = 32;
export const MAX_UINT256 = (1n << 256n) - 1n;

/**
 * Members and totals, packed: entry `i` is `addresses[20i, 20i+20)` and `totals[32i, 32i+32)`
 * (big-endian). buildTree uses SharedArrayBuffer-backed arrays as they are, without a copy, and
 * the tree keeps them: do not modify them afterwards.
 */
export interface PackedEntries {
  readonly count: number;
  readonly addresses: Uint8Array;
  readonly totals: Uint8Array;
}

export interface MerkleEntry {
  readonly address: string;
  readonly total: bigint;
}

/** Hex digit value by char code, -1 when not a hex digit. */
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let c = 0; c < 10; c++) HEX_VALUE[48 + c] = c;
for (let c = 0; c < 6; c++) {
  HEX_VALUE[65 + c] = 10 + c;
  HEX_VALUE[97 + c] = 10 + c;
}
const HEX_DIGITS = '0123456789abcdef';
const BYTE_HEX: string[] = Array.from(
  { length: 256 },
  (_, b) => (HEX_DIGITS[b >> 4] ?? '') + (HEX_DIGITS[b & 15] ?? ''),
);

function hexValue(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? (HEX_VALUE[code] ?? -1) : -1;
}

/**
 * Writes a 0x-prefixed 20-byte hex address (any letter case: checksummed or lower case) into
 * `out` at `offset`. The EIP-55 checksum is not verified here (that would cost a keccak per
 * member); addresses are validated where they enter the union.
 */
export function writeAddress(address: string, out: Uint8Array, offset: number): void {
  if (address.length !== 42 || address[0] !== '0' || (address[1] !== 'x' && address[1] !== 'X')) {
    throw invalidAddress(address);
  }
  for (let i = 0; i < ADDRESS_BYTES; i++) {
    const high = hexValue(address, 2 + 2 * i);
    const low = hexValue(address, 3 + 2 * i);
    if (high < 0 || low < 0) throw invalidAddress(address);
    out[offset + i] = (high << 4) | low;
  }
}

function invalidAddress(address: string): MerkleError {
  const shown = address.length > 50 ? `${address.slice(0, 50)}…` : address;
  return new MerkleError(
    'MERKLE_INVALID_ADDRESS',
    `"${shown}" is not a 0x-prefixed 20-byte hex address.`,
  );
}

/** Lower-case 0x hex of `length` bytes of `bytes` from `offset`. */
export function bytesToHex(bytes: Uint8Array, offset: number, length: number): string {
  let hex = '0x';
  for (let i = offset; i < offset + length; i++) hex += BYTE_HEX[bytes[i] ?? 0] ?? '';
  return hex;
}

const MASK_64 = (1n << 64n) - 1n;

/**
 * Writes `value` as a 32-byte big-endian uint256. Allocation-light: a total below 2^64 (most
 * members) costs one DataView write; larger totals take one BigInt shift per 64-bit word.
 */
export function writeUint256(value: bigint, out: DataView, offset: number): void {
  if (value < 0n || value > MAX_UINT256) {
    throw new MerkleError(
      'MERKLE_INVALID_TOTAL',
      `A member total must be an integer between 0 and 2^256 - 1; got ${value}.`,
    );
  }
  let rest = value;
  let word = 3;
  while (rest > MASK_64) {
    out.setBigUint64(offset + 8 * word, rest & MASK_64);
    rest >>= 64n;
    word--;
  }
  out.setBigUint64(offset + 8 * word, rest);
  // Words above the most significant one stay as they are: buffers start zeroed and each
  // entry is written once, so they are already zero.
}

export function readUint256(bytes: Uint8Array, offset: number): bigint {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, TOTAL_BYTES);
  let value = 0n;
  for (let word = 0; word < 4; word++) value = (value << 64n) | view.getBigUint64(8 * word);
  return value;
}

/** Zeroed packed storage for `count` entries, in SharedArrayBuffers. */
export function allocatePacked(count: number): PackedEntries {
  return {
    count,
    addresses: new Uint8Array(new SharedArrayBuffer(count * ADDRESS_BYTES)),
    totals: new Uint8Array(new SharedArrayBuffer(count * TOTAL_BYTES)),
  };
}

/** Packs entries `[from, to)` into storage from allocatePacked; throws on a malformed entry. */
export function packRange(
  entries: readonly MerkleEntry[],
  packed: PackedEntries,
  from: number,
  to: number,
): void {
  const totalsView = new DataView(packed.totals.buffer, packed.totals.byteOffset);
  for (let i = from; i < to; i++) {
    const entry = entries[i];
    if (entry === undefined) throw new TypeError(`entries[${i}] is missing`);
    writeAddress(entry.address, packed.addresses, i * ADDRESS_BYTES);
    writeUint256(entry.total, totalsView, i * TOTAL_BYTES);
  }
}

/** Packs entries into SharedArrayBuffers; throws on a malformed address or total. */
export function packEntries(entries: readonly MerkleEntry[]): PackedEntries {
  const packed = allocatePacked(entries.length);
  packRange(entries, packed, 0, entries.length);
  return packed;
}

/** Copies packed entries into SharedArrayBuffers unless they already live in one. */
export function sharePacked(packed: PackedEntries): PackedEntries {
  const { count, addresses, totals } = packed;
  if (addresses.length !== count * ADDRESS_BYTES || totals.length !== count * TOTAL_BYTES) {
    throw new MerkleError(
      'MERKLE_INVALID_DUMP',
      `Packed entries for ${count} members need ${count * ADDRESS_BYTES} address bytes and ${count * TOTAL_BYTES} total bytes.`,
    );
  }
  const shared = (bytes: Uint8Array): Uint8Array => {
    if (bytes.buffer instanceof SharedArrayBuffer && bytes.byteOffset % 4 === 0) return bytes;
    const copy = new Uint8Array(new SharedArrayBuffer(bytes.length));
    copy.set(bytes);
    return copy;
  };
  return { count, addresses: shared(addresses), totals: shared(totals) };
}
