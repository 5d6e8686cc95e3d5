import { describe, expect, it } from 'vitest';

import { MonoplasmaAccounting, treeEntries } from './accounting.ts';
import { packEntries } from './merkle.ts';
import { packedTreeLeaves } from './tree-leaves.ts';

const address = (i: number) => `0x${i.toString(16).padStart(40, '0')}`;

function books(): MonoplasmaAccounting {
  const b = new MonoplasmaAccounting({ adminFeeFraction: 10n ** 17n });
  for (let i = 1; i <= 5; i++) {
    b.memberJoined(address(i), i);
    if (i % 2 === 1) b.memberActivityChanged(address(i), true, i);
  }
  b.revenue('0xaa:0', 10n ** 20n + 7n, 10);
  b.memberLeft(address(3), 11);
  b.revenue('0xaa:1', 2n ** 70n, 12);
  return b;
}

describe('packedTreeLeaves', () => {
  it.each([
    ['a member', address(3)],
    ['not a member', address(99)],
  ])('packs the leaves of treeEntries byte for byte (admin %s)', (_, admin) => {
    const b = books();
    const expected = packEntries(treeEntries(b.snapshot(), admin));
    const packed = packedTreeLeaves(b, admin.toUpperCase().replace('0X', '0x'));
    expect(packed.count).toBe(expected.count);
    expect(Buffer.from(packed.addresses)).toEqual(Buffer.from(expected.addresses));
    expect(Buffer.from(packed.totals)).toEqual(Buffer.from(expected.totals));
  });
});
