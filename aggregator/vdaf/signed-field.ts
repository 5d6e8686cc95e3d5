/**
 * Signed integers in the Prio3 field. Central noise can push a sum below zero, so aggregate shares
 * carry signed values: a negative n is the field element p − |n|, and the collector reads an
 * element above p / 2 as negative. Honest sums and the noise are far below p / 2 (p ≈ 2^128 for
 * SumVec's Field128), so the mapping is exact.
 */

/** `n` (any safe integer, negative included) as a field element modulo `p`. */
export function toField(n: number, p: bigint): bigint {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not a safe integer: ${n}`);
  const x = BigInt(n) % p;
  return x < 0n ? x + p : x;
}

/** A field element as a signed integer: above p / 2 is negative. */
export function fromField(x: bigint, p: bigint): number {
  const signed = x > p / 2n ? x - p : x;
  const n = Number(signed);
  if (!Number.isSafeInteger(n)) {
    throw new RangeError('a collected value is beyond ±2^53: the shares do not belong together');
  }
  return n;
}

/** The element-wise sum of aggregate shares, read as signed integers (the collector's unshard). */
export function unshardSigned(shares: readonly (readonly bigint[])[], p: bigint): number[] {
  const length = shares[0]?.length ?? 0;
  return Array.from({ length }, (_, i) =>
    fromField(
      shares.reduce((sum, share) => (sum + (share[i] ?? 0n)) % p, 0n),
      p,
    ),
  );
}
