/**
 * Compares two lists of Merkle leaves (`[address, total]`, lower-case addresses) without a map of
 * every leaf: the union publishes its leaves in the books' order (first join, then the admin's),
 * so two lists of the same books line up index by index. Where they stop lining up (a new
 * member, the admin's leaf moving to the end, or a publisher using another order), the rest is
 * compared by address. The verdict is the same as comparing by address throughout.
 */
import type { MemberTotal } from '../monoplasma/accounting/monoplasma-accounting.ts';

export type LeafDifference =
  /** The first leaf of `expected`, in its order, whose total in `actual` fails the test. */
  | { kind: 'total'; address: string; expected: bigint; actual: bigint | undefined }
  /** A leaf of `actual` that `expected` does not hold (after every total passed). */
  | { kind: 'extra'; address: string; actual: bigint };

/**
 * The first difference between `expected` and `actual`: a leaf of `expected` whose total in
 * `actual` (undefined when absent) makes `differs` true, else the first leaf only `actual` holds;
 * null when none.
 */
export function compareLeaves(
  expected: readonly MemberTotal[],
  actual: readonly MemberTotal[],
  differs: (expected: bigint, actual: bigint | undefined) => boolean,
): LeafDifference | null {
  let i = 0;
  for (; i < expected.length && i < actual.length; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    if (e.address !== a.address) break;
    if (differs(e.total, a.total)) {
      return { kind: 'total', address: e.address, expected: e.total, actual: a.total };
    }
  }
  const rest = new Map<string, bigint>();
  for (let j = i; j < actual.length; j++) rest.set(actual[j]!.address, actual[j]!.total);
  for (let j = i; j < expected.length; j++) {
    const { address, total } = expected[j]!;
    const got = rest.get(address);
    if (differs(total, got)) return { kind: 'total', address, expected: total, actual: got };
    rest.delete(address);
  }
  // A leaf listed twice in `actual` after the aligned part counts once, as in a map.
  const [extra] = rest;
  return extra ? { kind: 'extra', address: extra[0], actual: extra[1] } : null;
}
