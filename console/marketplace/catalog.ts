/**
 * The Marketplace's product list, rebuilt from its events (pure). `ProductCreated` lists a
 * product, `ProductUpdated` changes its beneficiary and price, `ProductDeactivated` /
 * `ProductReactivated` stop and resume sales, and every `Subscribed` adds what it paid to the
 * product's revenue; the latest `ProductMetadataSet` (emitted only for the product's owner or a
 * lister the Marketplace trusts, such as the DataUnionFactory) is where its union's server
 * answers. Events are applied in chain order (block, then log index) whatever order
 * they arrive in; an event for a product never created is ignored (the contract cannot emit one,
 * so it can only come from a wrong log filter).
 */

export const SECONDS_PER_DAY = 86_400n;

interface Position {
  blockNumber: number;
  logIndex: number;
}

export type MarketplaceEvent = Position &
  (
    | {
        kind: 'created';
        productId: string;
        owner: string;
        beneficiary: string;
        token: string;
        pricePerSecond: bigint;
        name: string;
      }
    | { kind: 'updated'; productId: string; beneficiary: string; pricePerSecond: bigint }
    | { kind: 'deactivated'; productId: string }
    | { kind: 'reactivated'; productId: string }
    | { kind: 'subscribed'; productId: string; paid: bigint }
    | { kind: 'metadata'; productId: string; metadataUrl: string }
  );

export interface Product {
  /** bytes32, lower case. */
  productId: string;
  name: string;
  owner: string;
  /** Who every payment goes to: for a union's product, its DataUnion contract. */
  beneficiary: string;
  token: string;
  pricePerSecond: bigint;
  active: boolean;
  /** Sum of every purchase's payment, token base units. */
  revenue: bigint;
  purchases: number;
  createdAtBlock: number;
  /** The union server's base URL from the latest ProductMetadataSet; null when never set. */
  metadataUrl: string | null;
}

export function pricePerDay(product: Pick<Product, 'pricePerSecond'>): bigint {
  return product.pricePerSecond * SECONDS_PER_DAY;
}

function byChainOrder(a: Position, b: Position): number {
  return a.blockNumber - b.blockNumber || a.logIndex - b.logIndex;
}

/** Products in the order they were created. */
export function productsFromEvents(events: readonly MarketplaceEvent[]): Product[] {
  const products = new Map<string, Product>();
  for (const event of [...events].sort(byChainOrder)) {
    const id = event.productId.toLowerCase();
    if (event.kind === 'created') {
      // The contract refuses a second ProductCreated for an id: the first one stands.
      if (products.has(id)) continue;
      products.set(id, {
        productId: id,
        name: event.name,
        owner: event.owner.toLowerCase(),
        beneficiary: event.beneficiary.toLowerCase(),
        token: event.token.toLowerCase(),
        pricePerSecond: event.pricePerSecond,
        active: true,
        revenue: 0n,
        purchases: 0,
        createdAtBlock: event.blockNumber,
        metadataUrl: null,
      });
      continue;
    }
    const product = products.get(id);
    if (!product) continue;
    switch (event.kind) {
      case 'updated':
        product.beneficiary = event.beneficiary.toLowerCase();
        product.pricePerSecond = event.pricePerSecond;
        break;
      case 'deactivated':
        product.active = false;
        break;
      case 'reactivated':
        product.active = true;
        break;
      case 'subscribed':
        product.revenue += event.paid;
        product.purchases += 1;
        break;
      case 'metadata':
        product.metadataUrl = event.metadataUrl.trim() || null;
        break;
    }
  }
  return [...products.values()];
}
