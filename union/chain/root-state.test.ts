import { describe, expect, it } from 'vitest';

import { packEntries } from '../monoplasma/merkle.ts';
import { unpackLeaves } from './root-state.ts';

describe('unpackLeaves', () => {
  it('gives back packed leaves in order, lower-case, small and 256-bit totals alike', () => {
    const leaves = [
      { address: `0x${'Ab'.repeat(20)}`, total: 0n },
      { address: `0x${'01'.repeat(20)}`, total: 2n ** 64n - 1n },
      { address: `0x${'fe'.repeat(20)}`, total: 2n ** 64n },
      { address: `0x${'7c'.repeat(20)}`, total: 2n ** 256n - 1n },
      { address: `0x${'00'.repeat(19)}ff`, total: 123_456_789_012_345_678_901_234_567n },
    ];
    expect(unpackLeaves(packEntries(leaves))).toEqual(
      leaves.map((l) => ({ address: l.address.toLowerCase(), total: l.total })),
    );
    expect(unpackLeaves(packEntries([]))).toEqual([]);
  });
});
