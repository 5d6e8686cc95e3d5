/**
 * The marketplace page's chain reading against real contracts on the in-process EVM: a union
 * created through the factory (its metadata URL emitted by the Marketplace), purchases, a price
 * change and a deactivation, read back as logs and reduced to the product list.
 */
import { parseUnits } from 'ethers';
import { beforeAll, describe, expect, it } from 'vitest';

import { createUnionIn } from '../../contracts/deploy.ts';
import { marketplaceAt } from '../../contracts/generated/marketplace.ts';
import { testTokenAt } from '../../contracts/generated/test-token.ts';
import { unionFixture, type UnionFixture } from '../../contracts/testing/fixture.ts';
import { productsFromEvents, type Product } from './catalog.ts';
import { readMarketplaceEvents } from './chain-reader.ts';

let f: UnionFixture;
let second: Awaited<ReturnType<typeof createUnionIn>>;
let products: Product[];

beforeAll(async () => {
  f = await unionFixture();
  const owner = f.others[0]!;
  second = await createUnionIn(owner, f.deployment, {
    operator: f.others[1]!.address,
    freezePeriodSeconds: 60n,
    pricePerSecond: 5n,
    productName: 'Second union',
    metadataUrl: 'https://second.example',
  });
  const day = 86_400n;
  const firstPrice = (await f.market.getProduct(f.deployment.productId)).pricePerSecond * day;
  await (await f.token.mint(f.researcher.address, parseUnits('100', 18))).wait();
  const token = testTokenAt(f.deployment.token, f.researcher);
  await (await token.approve(f.deployment.marketplace, 2n ** 255n)).wait();
  const market = marketplaceAt(f.deployment.marketplace, f.researcher);
  await (await market.buy(f.deployment.productId, day, firstPrice)).wait();
  await (await market.buy(second.productId, 10n, 50n)).wait();
  await (await market.buy(second.productId, 20n, 100n)).wait();
  const asOwner = marketplaceAt(f.deployment.marketplace, owner);
  await (await asOwner.updateProduct(second.productId, second.dataUnion, 7n)).wait();
  await (await asOwner.setProductMetadata(second.productId, 'https://moved.example')).wait();
  await (await f.market.deactivateProduct(f.deployment.productId)).wait();
  let reported = 0;
  const events = await readMarketplaceEvents(f.provider, f.deployment.marketplace, 0, (p) => {
    reported = p;
  });
  expect(reported).toBe(1);
  products = productsFromEvents(events);
});

describe('the Marketplace read from its logs', () => {
  it('lists both unions with what getProduct says on chain', async () => {
    expect(products.map((p) => p.productId)).toEqual([
      f.deployment.productId.toLowerCase(),
      second.productId.toLowerCase(),
    ]);
    for (const product of products) {
      const onChain = await f.market.getProduct(product.productId);
      expect(product).toMatchObject({
        name: onChain.name,
        owner: onChain.owner.toLowerCase(),
        beneficiary: onChain.beneficiary.toLowerCase(),
        token: onChain.token.toLowerCase(),
        pricePerSecond: onChain.pricePerSecond,
        active: onChain.active,
      });
    }
  });

  it('sums each product’s purchases into its revenue, equal to what its union received', async () => {
    const [first, other] = products;
    expect(other).toMatchObject({ revenue: 150n, purchases: 2, active: true, pricePerSecond: 7n });
    expect(other!.owner).toBe(f.others[0]!.address.toLowerCase());
    expect(await f.token.balanceOf(second.dataUnion)).toBe(150n);
    expect(first!.revenue).toBe(await f.token.balanceOf(f.deployment.dataUnion));
    expect(first).toMatchObject({ purchases: 1, active: false });
  });

  it('takes the union URL from the latest ProductMetadataSet', () => {
    expect(products[1]!.metadataUrl).toBe('https://moved.example');
  });

  it('reads the same events in small block ranges, and from a later start block', async () => {
    const whole = await readMarketplaceEvents(f.provider, f.deployment.marketplace, 0);
    const steps: number[] = [];
    const ranged = await readMarketplaceEvents(
      f.provider,
      f.deployment.marketplace,
      0,
      (p) => steps.push(p),
      3,
    );
    expect(ranged).toEqual(whole);
    expect(steps.length).toBeGreaterThan(2);
    expect(steps.at(-1)).toBe(1);
    const head = await f.provider.getBlockNumber();
    const late = await readMarketplaceEvents(f.provider, f.deployment.marketplace, head);
    expect(late.map((e) => e.kind)).toEqual(['deactivated']);
  });
});
