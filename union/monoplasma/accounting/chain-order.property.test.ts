/**
 * Issue 16 item 5: the books apply revenue, fee changes and membership changes in chain order,
 * whatever the ticks of the watcher see (lagging confirmations, failed ticks, restarts). Random
 * histories are replayed through the watcher's step and compared with a model that simply sorts
 * everything in chain order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  buildWorld,
  chainOrderModel,
  runWatcher,
  WORLD_MEMBERS,
  worlds,
  type World,
} from './chain-world.ts';
import { FEE_SCALE } from './inputs.ts';

function expectSameBooks(world: World) {
  const books = runWatcher(world);
  const model = chainOrderModel(world);
  expect(books.totalRevenue).toBe(model.totalRevenue);
  for (const address of WORLD_MEMBERS) expect(books.totalOf(address)).toBe(model.totalOf(address));
  expect(books.adminTotal).toBe(model.adminTotal);
  expect(books.carriedRemainder).toBe(model.remainder);
}

describe('the books in chain order', () => {
  it('give every member and the admin exactly what the chain-order model gives, for any interleaving', () => {
    fc.assert(fc.property(worlds, expectSameBooks), { numRuns: 400 });
  });

  it('apply a fee change only to revenue after it, even when both arrive in one tick', () => {
    // Revenue in block 2, fee raised to 50 % in block 3, then the watcher's first tick.
    const world = buildWorld(0n, 0, [
      { kind: 'member', dt: 1, member: 0, action: 'join' },
      { kind: 'block', dt: 1, items: [{ kind: 'revenue', amount: 1000n }] },
      { kind: 'block', dt: 1, items: [{ kind: 'fee', fraction: FEE_SCALE / 2n }] },
      { kind: 'block', dt: 1, items: [{ kind: 'revenue', amount: 1000n }] },
    ]);
    const books = runWatcher(world);
    expect(books.adminTotal).toBe(500n);
    expect(books.totalOf(WORLD_MEMBERS[0]!)).toBe(1500n);
    expectSameBooks(world);
  });

  it('do not share revenue from before a join made during an outage', () => {
    const world = buildWorld(0n, 0, [
      { kind: 'member', dt: 1, member: 0, action: 'join' },
      { kind: 'block', dt: 1, items: [] },
      { kind: 'tick', dt: 1, confirmations: 1, fails: false, restore: false },
      { kind: 'block', dt: 5, items: [{ kind: 'revenue', amount: 900n }] },
      { kind: 'tick', dt: 1, confirmations: 1, fails: true, restore: false },
      { kind: 'member', dt: 5, member: 1, action: 'join' },
      { kind: 'member', dt: 1, member: 0, action: 'leave' },
      { kind: 'block', dt: 1, items: [{ kind: 'revenue', amount: 100n }] },
    ]);
    const books = runWatcher(world);
    expect(books.totalOf(WORLD_MEMBERS[0]!)).toBe(900n);
    expect(books.totalOf(WORLD_MEMBERS[1]!)).toBe(100n);
    expectSameBooks(world);
  });
});
