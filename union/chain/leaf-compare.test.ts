import { describe, expect, it } from 'vitest';

import type { MemberTotal } from '../monoplasma/accounting/monoplasma-accounting.ts';
import { compareLeaves } from './leaf-compare.ts';

const a = (n: number) => `0x${n.toString(16).padStart(40, '0')}`;
const leaves = (...totals: [number, bigint][]): MemberTotal[] =>
  totals.map(([n, total]) => ({ address: a(n), total }));
const unequal = (expected: bigint, actual: bigint | undefined) => actual !== expected;
const wentDown = (before: bigint, now: bigint | undefined) => (now ?? 0n) < before;

/** The same verdict through a map of every leaf (what the validator did before). */
function byMap(expected: MemberTotal[], actual: MemberTotal[], differs = unequal) {
  const rest = new Map(actual.map((l) => [l.address, l.total]));
  for (const { address, total } of expected) {
    const got = rest.get(address);
    if (differs(total, got)) return { kind: 'total', address, expected: total, actual: got };
    rest.delete(address);
  }
  const [extra] = rest;
  return extra ? { kind: 'extra', address: extra[0], actual: extra[1] } : null;
}

describe('compareLeaves', () => {
  const books = leaves([1, 10n], [2, 20n], [3, 30n]);

  it('finds no difference between equal lists, in the same or another order', () => {
    expect(compareLeaves(books, [...books], unequal)).toBeNull();
    expect(compareLeaves(books, [...books].reverse(), unequal)).toBeNull();
  });

  it('names the first leaf of the expected list, in its order, whose total differs', () => {
    const changed = leaves([1, 10n], [2, 21n], [3, 31n]);
    expect(compareLeaves(books, changed, unequal)).toEqual({
      kind: 'total',
      address: a(2),
      expected: 20n,
      actual: 21n,
    });
    // Past the point where the order stops lining up, by address.
    const moved = leaves([1, 10n], [3, 31n], [2, 20n]);
    expect(compareLeaves(books, moved, unequal)).toEqual(byMap(books, moved));
    expect(compareLeaves(books, moved, unequal)).toMatchObject({ address: a(3), actual: 31n });
  });

  it('names a missing leaf, then a leaf only the actual list holds', () => {
    expect(compareLeaves(books, books.slice(0, 2), unequal)).toEqual({
      kind: 'total',
      address: a(3),
      expected: 30n,
      actual: undefined,
    });
    const extra = [...books, ...leaves([4, 0n])];
    expect(compareLeaves(books, extra, unequal)).toEqual({
      kind: 'extra',
      address: a(4),
      actual: 0n,
    });
    const inserted = leaves([1, 10n], [4, 0n], [2, 20n], [3, 30n]);
    expect(compareLeaves(books, inserted, unequal)).toEqual(byMap(books, inserted));
  });

  it('checks that no total went down: new leaves are fine, a lower or vanished one is not', () => {
    const grown = [...leaves([1, 11n], [2, 20n], [3, 35n]), ...leaves([4, 1n])];
    expect(compareLeaves(books, grown, wentDown)).toMatchObject({ kind: 'extra' });
    const down = leaves([1, 11n], [2, 19n], [3, 35n]);
    expect(compareLeaves(books, down, wentDown)).toEqual({
      kind: 'total',
      address: a(2),
      expected: 20n,
      actual: 19n,
    });
    // The admin's leaf moves to the end when a member joins after it.
    const adminLast = leaves([1, 10n], [2, 20n], [4, 5n], [3, 29n]);
    expect(compareLeaves(books, adminLast, wentDown)).toMatchObject({ address: a(3), actual: 29n });
    expect(compareLeaves(books, leaves([1, 10n], [2, 20n]), wentDown)).toMatchObject({
      address: a(3),
      actual: undefined,
    });
  });

  it('gives the verdict a map of every leaf gives, for shuffled and edited lists', () => {
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let round = 0; round < 200; round++) {
      const expected = leaves(
        ...Array.from({ length: 8 }, (_, i): [number, bigint] => [i, BigInt(next() % 4)]),
      );
      const actual = expected
        .filter(() => next() % 10 !== 0)
        .map((l) => (next() % 6 === 0 ? { ...l, total: l.total + 1n } : l));
      if (next() % 3 === 0) actual.push({ address: a(100 + round), total: 1n });
      if (next() % 2 === 0) actual.sort(() => (next() % 3) - 1);
      expect(compareLeaves(expected, actual, unequal)).toEqual(byMap(expected, actual));
      expect(compareLeaves(expected, actual, wentDown)).toEqual(byMap(expected, actual, wentDown));
    }
  });
});
