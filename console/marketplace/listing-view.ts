/**
 * Search and sort of the marketplace's listings (pure). A listing is a product from the chain
 * and what its union's server (at the product's metadata URL) says about it, once asked. Figures a listing does not have yet
 * (a union not asked yet, or unreachable) sort after every known one, whichever the direction.
 */
import { pricePerDay, type Product } from './catalog.ts';
import type { UnionProbe } from './union-probe.ts';

export interface Listing {
  product: Product;
  /** undefined while the union's server is being asked. */
  probe: UnionProbe | undefined;
}

export type SortKey = 'name' | 'price' | 'members' | 'revenue';
export type SortDirection = 'ascending' | 'descending';

export const sortKeys: readonly { key: SortKey; label: string }[] = [
  { key: 'name', label: 'Name' },
  { key: 'price', label: 'Price per day' },
  { key: 'members', label: 'Members' },
  { key: 'revenue', label: 'Revenue' },
];

/** The name listed on chain (what the buyer pays for), not what a server claims. */
export function displayName(listing: Listing): string {
  return listing.product.name;
}

export function memberCount(listing: Listing): number | null {
  return listing.probe?.state === 'reachable' ? listing.probe.members : null;
}

function haystack(listing: Listing): string {
  const probe = listing.probe?.state === 'reachable' ? listing.probe : null;
  return [
    listing.product.name,
    probe?.name,
    probe?.description,
    ...(probe?.categories ?? []),
    listing.product.productId,
    listing.product.beneficiary,
    listing.product.metadataUrl,
  ]
    .filter((part): part is string => Boolean(part))
    .join('\n')
    .toLowerCase();
}

/** Every listing whose text holds each word of `query` (any case, any order). */
export function searchListings(listings: readonly Listing[], query: string): Listing[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...listings];
  return listings.filter((listing) => {
    const text = haystack(listing);
    return words.every((word) => text.includes(word));
  });
}

type Figure = bigint | number | string | null;

function figureOf(listing: Listing, key: SortKey): Figure {
  switch (key) {
    case 'name':
      return displayName(listing).toLowerCase();
    case 'price':
      return pricePerDay(listing.product);
    case 'members':
      return memberCount(listing);
    case 'revenue':
      return listing.product.revenue;
  }
}

function compareFigures(a: Exclude<Figure, null>, b: Exclude<Figure, null>): number {
  if (typeof a === 'string' && typeof b === 'string') return a.localeCompare(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Sorted by `key`; unknown figures last; ties keep the chain's order (oldest product first), so
 * the order never depends on which union answered first.
 */
export function sortListings(
  listings: readonly Listing[],
  key: SortKey,
  direction: SortDirection,
): Listing[] {
  const sign = direction === 'ascending' ? 1 : -1;
  return [...listings].sort((a, b) => {
    const x = figureOf(a, key);
    const y = figureOf(b, key);
    if (x === null || y === null) {
      if (x !== y) return x === null ? 1 : -1;
    } else {
      const order = compareFigures(x, y);
      if (order !== 0) return sign * order;
    }
    return a.product.createdAtBlock - b.product.createdAtBlock;
  });
}
