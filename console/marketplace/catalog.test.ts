import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { pricePerDay, productsFromEvents, type MarketplaceEvent } from './catalog.ts';

const A = `0x${'a'.repeat(64)}`;
const B = `0x${'b'.repeat(64)}`;
const union = `0x${'1'.repeat(40)}`;
const other = `0x${'2'.repeat(40)}`;
const token = `0x${'3'.repeat(40)}`;

const created = (productId: string, blockNumber: number, name = 'P'): MarketplaceEvent => ({
  kind: 'created',
  productId,
  owner: other,
  beneficiary: union,
  token,
  pricePerSecond: 10n,
  name,
  blockNumber,
  logIndex: 0,
});

describe('productsFromEvents', () => {
  it('lists each created product with its price, beneficiary and zero revenue', () => {
    const [product] = productsFromEvents([created(A, 1, 'Browsing')]);
    expect(product).toMatchObject({
      productId: A,
      name: 'Browsing',
      beneficiary: union,
      pricePerSecond: 10n,
      active: true,
      revenue: 0n,
      purchases: 0,
    });
    expect(pricePerDay(product!)).toBe(864_000n);
  });

  it('applies updates, deactivation and reactivation, and sums every purchase into revenue', () => {
    const events: MarketplaceEvent[] = [
      created(A, 1),
      { kind: 'subscribed', productId: A, paid: 100n, blockNumber: 2, logIndex: 1 },
      {
        kind: 'updated',
        productId: A,
        beneficiary: other,
        pricePerSecond: 7n,
        blockNumber: 3,
        logIndex: 0,
      },
      { kind: 'deactivated', productId: A, blockNumber: 4, logIndex: 0 },
      { kind: 'subscribed', productId: A, paid: 50n, blockNumber: 4, logIndex: 1 },
    ];
    expect(productsFromEvents(events)[0]).toMatchObject({
      beneficiary: other,
      pricePerSecond: 7n,
      active: false,
      revenue: 150n,
      purchases: 2,
    });
    const back = [
      ...events,
      { kind: 'reactivated', productId: A, blockNumber: 9, logIndex: 0 } as const,
    ];
    expect(productsFromEvents(back)[0]!.active).toBe(true);
  });

  it('keeps the first ProductCreated of an id and ignores events of products never created', () => {
    const products = productsFromEvents([
      created(A, 1, 'first'),
      created(A, 2, 'second'),
      { kind: 'subscribed', productId: B, paid: 5n, blockNumber: 3, logIndex: 0 },
    ]);
    expect(products.map((p) => p.name)).toEqual(['first']);
  });

  it('takes the union URL from the latest metadata event of the product', () => {
    const products = productsFromEvents([
      created(A, 1),
      {
        kind: 'metadata',
        productId: A,
        metadataUrl: 'https://old.example',
        blockNumber: 1,
        logIndex: 1,
      },
      created(B, 2),
      {
        kind: 'metadata',
        productId: A,
        metadataUrl: 'https://new.example',
        blockNumber: 5,
        logIndex: 0,
      },
    ]);
    expect(products.map((p) => p.metadataUrl)).toEqual(['https://new.example', null]);
  });

  it('gives the same list whatever order the logs arrive in (chain order is block, log index)', () => {
    const events: MarketplaceEvent[] = [
      created(A, 1),
      { ...created(B, 1), logIndex: 1 },
      { kind: 'subscribed', productId: A, paid: 3n, blockNumber: 2, logIndex: 0 },
      { kind: 'deactivated', productId: B, blockNumber: 2, logIndex: 1 },
      {
        kind: 'updated',
        productId: A,
        beneficiary: other,
        pricePerSecond: 1n,
        blockNumber: 3,
        logIndex: 0,
      },
      { kind: 'reactivated', productId: B, blockNumber: 3, logIndex: 1 },
      { kind: 'deactivated', productId: B, blockNumber: 4, logIndex: 0 },
      {
        kind: 'metadata',
        productId: A,
        metadataUrl: 'https://a.example',
        blockNumber: 4,
        logIndex: 1,
      },
      {
        kind: 'metadata',
        productId: A,
        metadataUrl: 'https://b.example',
        blockNumber: 5,
        logIndex: 0,
      },
    ];
    const expected = productsFromEvents(events);
    fc.assert(
      fc.property(fc.shuffledSubarray(events, { minLength: events.length }), (shuffled) => {
        expect(productsFromEvents(shuffled)).toEqual(expected);
      }),
    );
    expect(expected.map((p) => [p.productId, p.active, p.metadataUrl])).toEqual([
      [A, true, 'https://b.example'],
      [B, false, null],
    ]);
  });
});
