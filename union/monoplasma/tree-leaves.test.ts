import { describe, expect, it } from 'vitest';

import { MonoplasmaAccounting, treeEntries } from './accounting.ts';
import { packEntries } from './merkle.ts';
import { TreeLeafPacker } from './tree-leaves.ts';

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

function expectSameLeaves(packer: TreeLeafPacker, b: MonoplasmaAccounting, admin: string) {
  const expected = packEntries(treeEntries(b.snapshot(), admin));
  const packed = packer.pack(b, admin.toUpperCase().replace('0X', '0x'));
  expect(packed.count).toBe(expected.count);
  expect(Buffer.from(packed.addresses)).toEqual(Buffer.from(expected.addresses));
  expect(Buffer.from(packed.totals)).toEqual(Buffer.from(expected.totals));
}

describe('TreeLeafPacker', () => {
  it.each([
    ['a member', address(3)],
    ['not a member', address(99)],
  ])('packs the leaves of treeEntries byte for byte (admin %s)', (_, admin) => {
    expectSameLeaves(new TreeLeafPacker(), books(), admin);
  });

  it('packs the same leaves again after members join (also the admin), reusing known addresses', () => {
    const packer = new TreeLeafPacker();
    const b = books();
    const admin = address(99);
    expectSameLeaves(packer, b, admin);
    b.memberJoined(address(6), 20);
    b.memberJoined(admin, 21);
    b.memberActivityChanged(admin, true, 22);
    b.revenue('0xaa:2', 999n, 23);
    expectSameLeaves(packer, b, admin);
    expectSameLeaves(packer, books(), admin); // other books: nothing reused
  });

  it('packs the same leaves after prepare, which parses the addresses of members who joined since', () => {
    const packer = new TreeLeafPacker();
    const b = books();
    const admin = address(99);
    packer.prepare(b);
    expectSameLeaves(packer, b, admin);
    b.memberJoined(address(7), 20);
    packer.prepare(b);
    b.memberJoined(address(8), 21); // after prepare: parsed by the pack
    expectSameLeaves(packer, b, admin);
    packer.prepare(books()); // other books: parsed from the first member
    expectSameLeaves(packer, b, admin);
  });
});
