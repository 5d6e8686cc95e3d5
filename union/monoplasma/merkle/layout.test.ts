import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { HASH_BYTES } from './encoding.ts';
import { compareHashes } from './bytes.ts';
import { internalLevels, proofPath, sortLeafOrder, writeSortKeys } from './layout.ts';

function sortByKeys(hashes: Uint8Array, count: number): number[] {
  const keys = new BigUint64Array(count);
  writeSortKeys(hashes, new Uint32Array(keys.buffer), 0, count);
  return [...sortLeafOrder(hashes, keys)];
}

describe('leaf ordering', () => {
  it('orders hashes that share their first 4 bytes by the remaining bytes', () => {
    // Hashes drawn from a tiny alphabet so many share the 4-byte prefix used as sort key.
    const hashes = fc.array(
      fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => b.map((x) => x & 1)),
      {
        minLength: 1,
        maxLength: 60,
      },
    );
    fc.assert(
      fc.property(hashes, (list) => {
        const flat = new Uint8Array(list.length * HASH_BYTES);
        list.forEach((h, i) => flat.set(h, i * HASH_BYTES));
        const expected = list
          .map((_, i) => i)
          .sort((a, b) => compareHashes(flat, a * HASH_BYTES, b * HASH_BYTES) || a - b);
        const actual = sortByKeys(flat, list.length);
        // Equal hashes may come in either order; compare the hash sequence.
        const seq = (order: number[]) => order.map((i) => list[i]!.join());
        expect(seq(actual)).toEqual(seq(expected));
      }),
    );
  });
});

describe('tree layout', () => {
  it('lists the internal levels deepest first, covering nodes 0 … n-2 once', () => {
    for (const n of [1, 2, 3, 4, 5, 8, 9, 1000]) {
      const covered = internalLevels(n).flatMap(([a, b]) =>
        Array.from({ length: b - a }, (_, k) => a + k),
      );
      expect(covered.sort((x, y) => x - y)).toEqual(Array.from({ length: n - 1 }, (_, k) => k));
    }
    expect(internalLevels(5)).toEqual([
      [3, 4],
      [1, 3],
      [0, 1],
    ]);
  });

  it('walks a proof path of siblings up to the root', () => {
    expect(proofPath(0)).toEqual([]);
    expect(proofPath(4)).toEqual([3, 2]);
    expect(proofPath(7)).toEqual([8, 4, 2]);
  });
});
