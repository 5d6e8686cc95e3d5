/**
 * Parsing of 65-byte Ethereum signatures (`r ‖ s ‖ v`) into the compact form libsecp256k1
 * recovers from. Checked here, once, so the native and the pure-JS recoverers see exactly the
 * same accepted set: `r` and `s` in [1, n), `s` in the lower half (EIP-2: a signature has one
 * valid encoding, so a report cannot be replayed with a malleated twin), `v` ∈ {27, 28, 0, 1}.
 */

/** secp256k1 group order n, big-endian. */
const ORDER = Buffer.from(
  'fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141',
  'hex',
);
/** ⌊n / 2⌋, big-endian: the largest accepted `s`. */
const HALF_ORDER = Buffer.from(
  '7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0',
  'hex',
);

export interface CompactSignature {
  /** `r ‖ s`, 64 bytes. */
  rs: Uint8Array;
  /** Recovery id, 0 or 1. */
  recid: number;
}

function isZero(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b !== 0) return false;
  return true;
}

/** Returns null for anything that is not a canonical signature. */
export function parseSignatureHex(hex: string): CompactSignature | null {
  if (hex.length !== 132 || hex[0] !== '0' || hex[1] !== 'x') return null;
  // Buffer.from stops at the first non-hex character, so a short result means "not hex".
  const bytes = Buffer.from(hex.slice(2), 'hex');
  return bytes.length === 65 ? parseSignatureBytes(bytes) : null;
}

export function parseSignatureBytes(bytes: Uint8Array): CompactSignature | null {
  if (bytes.length !== 65) return null;
  const r = bytes.subarray(0, 32);
  const s = bytes.subarray(32, 64);
  const v = bytes[64]!;
  const recid = v >= 27 ? v - 27 : v;
  if (recid !== 0 && recid !== 1) return null;
  if (isZero(r) || isZero(s)) return null;
  if (Buffer.compare(r, ORDER) >= 0) return null;
  if (Buffer.compare(s, HALF_ORDER) > 0) return null;
  return { rs: bytes.subarray(0, 64), recid };
}
