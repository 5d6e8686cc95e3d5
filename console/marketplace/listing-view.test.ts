import { describe, expect, it } from 'vitest';

import type { Product } from './catalog.ts';
import { searchListings, sortListings, type Listing } from './listing-view.ts';
import type { UnionFacts } from './union-probe.ts';

function listing(
  name: string,
  block: number,
  figures: { price?: bigint; revenue?: bigint; members?: number | null; description?: string },
  reachable = true,
): Listing {
  const product: Product = {
    productId: `0x${block.toString(16).padStart(64, '0')}`,
    name,
    owner: `0x${'1'.repeat(40)}`,
    beneficiary: `0x${'2'.repeat(40)}`,
    token: `0x${'3'.repeat(40)}`,
    pricePerSecond: figures.price ?? 1n,
    active: true,
    revenue: figures.revenue ?? 0n,
    purchases: 0,
    createdAtBlock: block,
    metadataUrl: null,
  };
  const facts: UnionFacts = {
    state: 'reachable',
    url: 'https://union.example',
    name,
    description: figures.description ?? '',
    categories: ['Shopping'],
    members: figures.members ?? null,
    epochsPublished: 0,
    datasheet: { text: '' },
    sample: { problem: 'none' },
  };
  return {
    product,
    probe: reachable ? facts : { state: 'unreachable', url: 'https://x.example', reason: 'down' },
  };
}

const names = (listings: Listing[]) => listings.map((l) => l.product.name);

describe('sortListings', () => {
  const all = [
    listing('beta', 1, { price: 5n, revenue: 10n, members: 30 }),
    listing('Alpha', 2, { price: 2n, revenue: 99n, members: 4 }),
    listing('gamma', 3, { price: 9n, revenue: 0n, members: null }),
    listing('delta', 4, { price: 2n, revenue: 5n }, false),
  ];

  it('sorts by name without regard to case', () => {
    expect(names(sortListings(all, 'name', 'ascending'))).toEqual([
      'Alpha',
      'beta',
      'delta',
      'gamma',
    ]);
    expect(names(sortListings(all, 'name', 'descending'))).toEqual([
      'gamma',
      'delta',
      'beta',
      'Alpha',
    ]);
  });

  it('sorts by price per day, ties in the order the products were created', () => {
    expect(names(sortListings(all, 'price', 'ascending'))).toEqual([
      'Alpha',
      'delta',
      'beta',
      'gamma',
    ]);
    expect(names(sortListings(all, 'price', 'descending'))).toEqual([
      'gamma',
      'beta',
      'Alpha',
      'delta',
    ]);
  });

  it('sorts by revenue, bigger than a JavaScript number can hold', () => {
    const big = listing('big', 5, { revenue: 2n ** 80n });
    expect(names(sortListings([...all, big], 'revenue', 'descending'))).toEqual([
      'big',
      'Alpha',
      'beta',
      'delta',
      'gamma',
    ]);
  });

  it('puts listings without a member count last in either direction', () => {
    expect(names(sortListings(all, 'members', 'descending'))).toEqual([
      'beta',
      'Alpha',
      'gamma',
      'delta',
    ]);
    expect(names(sortListings(all, 'members', 'ascending'))).toEqual([
      'Alpha',
      'beta',
      'gamma',
      'delta',
    ]);
  });
});

describe('searchListings', () => {
  const all = [
    listing('Browsing aggregates', 1, { description: 'Shopping and news by day' }),
    listing('Weather union', 2, { description: 'rain' }),
  ];

  it('matches every word in name, description and categories, any case', () => {
    expect(names(searchListings(all, 'NEWS browsing'))).toEqual(['Browsing aggregates']);
    expect(names(searchListings(all, 'shopping'))).toEqual([
      'Browsing aggregates',
      'Weather union',
    ]);
    expect(names(searchListings(all, 'rain snow'))).toEqual([]);
  });

  it('returns everything for an empty query', () => {
    expect(searchListings(all, '   ')).toHaveLength(2);
  });

  it('matches the product id of an unreachable union', () => {
    const down = listing('Down', 7, {}, false);
    expect(searchListings([down], down.product.productId.slice(-6))).toHaveLength(1);
  });
});
