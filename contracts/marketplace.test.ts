/**
 * Marketplace: products, subscriptions and payments into the DataUnion.
 * Protects: a purchase pays the beneficiary exactly `seconds × price`, never more than the buyer's
 * `maxPrice`, extends (never resets) the subscription, and only active products with a non-zero
 * duration can be bought.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ZeroAddress, id, parseUnits } from 'ethers';
import { marketplaceAbi } from './generated/marketplace.ts';
import { latestTimestamp, mineAt, snapshotter, unionFixture } from './testing/fixture.ts';
import type { UnionFixture } from './testing/fixture.ts';
import { revertOf } from './testing/revert.ts';

let f: UnionFixture;
let chain: Awaited<ReturnType<typeof snapshotter>>;
const PRICE = 1_000_000n;
const DAY = 86_400n;

beforeAll(async () => {
  f = await unionFixture({ pricePerSecond: PRICE });
  await (await f.token.mint(f.researcher.address, parseUnits('1000', 18))).wait();
  await (await f.token.connect(f.researcher).approve(f.deployment.marketplace, 2n ** 255n)).wait();
  chain = await snapshotter(f.provider);
});
beforeEach(() => chain.restore());

const asResearcher = () => f.market.connect(f.researcher);
const productId = () => f.deployment.productId;
/** The researcher buys `seconds` of `id`, agreeing to pay at most the price at `PRICE`. */
const buy = (seconds: bigint | number, id = productId(), maxPrice = BigInt(seconds) * PRICE) =>
  asResearcher().buy(id, seconds, maxPrice);

describe('the union’s product', () => {
  it('was created by the deployment with the DataUnion as beneficiary', async () => {
    const product = await f.market.getProduct(productId());
    expect(product.owner).toBe(f.admin.address);
    expect(product.beneficiary).toBe(f.deployment.dataUnion);
    expect(product.token).toBe(f.deployment.token);
    expect(product.pricePerSecond).toBe(PRICE);
    expect(product.active).toBe(true);
  });
});

describe('buy', () => {
  it('pays the DataUnion exactly seconds × price and starts the subscription now', async () => {
    const receipt = await (await buy(DAY)).wait();
    const now = await latestTimestamp(f.provider);
    expect(await f.token.balanceOf(f.deployment.dataUnion)).toBe(DAY * PRICE);
    expect(await f.union.totalRevenue()).toBe(DAY * PRICE);
    expect(await f.market.subscriptionEnd(productId(), f.researcher.address)).toBe(now + DAY);
    const log = receipt?.logs
      .map((l) => f.market.interface.parseLog(l))
      .find((l) => l?.name === 'Subscribed');
    expect(log?.args.toArray()).toEqual([
      productId(),
      f.researcher.address,
      DAY,
      DAY * PRICE,
      now + DAY,
    ]);
  });

  it('extends a running subscription instead of resetting it', async () => {
    await (await buy(DAY)).wait();
    const firstEnd = await f.market.subscriptionEnd(productId(), f.researcher.address);
    await mineAt(f.provider, firstEnd - DAY / 2n);
    await (await buy(DAY)).wait();
    expect(await f.market.subscriptionEnd(productId(), f.researcher.address)).toBe(firstEnd + DAY);
  });

  it('starts again from now once a subscription has expired', async () => {
    await (await buy(DAY)).wait();
    const firstEnd = await f.market.subscriptionEnd(productId(), f.researcher.address);
    await mineAt(f.provider, firstEnd + DAY);
    await (await buy(DAY)).wait();
    const now = await latestTimestamp(f.provider);
    expect(await f.market.subscriptionEnd(productId(), f.researcher.address)).toBe(now + DAY);
  });

  it('refuses zero seconds, unknown products and inactive products', async () => {
    expect((await revertOf(buy(0), marketplaceAbi)).name).toBe('ZeroDuration');
    const unknown = id('no such product');
    expect(await revertOf(buy(DAY, unknown), marketplaceAbi)).toEqual({
      name: 'ProductNotFound',
      args: [unknown],
    });
    await (await f.market.deactivateProduct(productId())).wait();
    expect(await revertOf(buy(DAY), marketplaceAbi)).toEqual({
      name: 'ProductInactive',
      args: [productId()],
    });
    await (await f.market.reactivateProduct(productId())).wait();
    await (await buy(DAY)).wait();
  });

  it('refuses to charge more than the buyer agreed to when the price rose before it was mined', async () => {
    // The owner raises the price while the purchase waits in the mempool (or front-runs it);
    // the researcher's allowance is unlimited, so only `maxPrice` stands in the way.
    const shown = 10n * PRICE;
    await (await f.market.updateProduct(productId(), f.deployment.dataUnion, 5n * PRICE)).wait();
    expect(await revertOf(buy(10n, productId(), shown), marketplaceAbi)).toEqual({
      name: 'PriceAboveMaximum',
      args: [50n * PRICE, shown],
    });
    expect(await f.token.balanceOf(f.deployment.dataUnion)).toBe(0n);
    expect(await f.market.subscriptionEnd(productId(), f.researcher.address)).toBe(0n);
  });

  it('charges the price at execution when it is within the buyer’s maximum', async () => {
    await (await f.market.updateProduct(productId(), f.deployment.dataUnion, PRICE / 2n)).wait();
    await (await buy(10n, productId(), 10n * PRICE)).wait();
    expect(await f.token.balanceOf(f.deployment.dataUnion)).toBe(5n * PRICE);
  });

  it('keeps a running subscription when the product is deactivated', async () => {
    await (await buy(DAY)).wait();
    const end = await f.market.subscriptionEnd(productId(), f.researcher.address);
    await (await f.market.deactivateProduct(productId())).wait();
    expect(await f.market.subscriptionEnd(productId(), f.researcher.address)).toBe(end);
  });
});

describe('product management', () => {
  it('lets anyone create a product, but never twice with the same id', async () => {
    const other = f.market.connect(f.others[0]!);
    const newId = id('another product');
    await (
      await other.createProduct(newId, 'Other', f.others[1]!.address, f.deployment.token, 5)
    ).wait();
    expect((await f.market.getProduct(newId)).owner).toBe(f.others[0]!.address);
    expect(
      await revertOf(
        other.createProduct(newId, 'Again', f.others[1]!.address, f.deployment.token, 5),
        marketplaceAbi,
      ),
    ).toEqual({ name: 'ProductExists', args: [newId] });
    expect(
      (
        await revertOf(
          other.createProduct(id('x'), 'X', ZeroAddress, f.deployment.token, 5),
          marketplaceAbi,
        )
      ).name,
    ).toBe('ZeroAddress');
  });

  it('lets only the owner change the price, the beneficiary and the active flag', async () => {
    const stranger = f.market.connect(f.others[0]!);
    for (const attempt of [
      () => stranger.updateProduct(productId(), f.others[0]!.address, 1),
      () => stranger.deactivateProduct(productId()),
      () => stranger.reactivateProduct(productId()),
    ]) {
      expect(await revertOf(attempt(), marketplaceAbi)).toEqual({
        name: 'NotProductOwner',
        args: [productId(), f.others[0]!.address],
      });
    }
    await (await f.market.updateProduct(productId(), f.deployment.dataUnion, 2n * PRICE)).wait();
    await (await buy(10n, productId(), 20n * PRICE)).wait();
    expect(await f.token.balanceOf(f.deployment.dataUnion)).toBe(20n * PRICE);
  });

  it('reports unknown products as not found when managed', async () => {
    expect((await revertOf(f.market.deactivateProduct(id('nothing')), marketplaceAbi)).name).toBe(
      'ProductNotFound',
    );
  });
});

describe('listing for others and metadata (issue 20)', () => {
  const metadataEvents = async (tx: Promise<{ wait(): Promise<unknown> }>) => {
    const receipt = (await (await tx).wait()) as { logs: { topics: string[]; data: string }[] };
    return receipt.logs.flatMap((log) => {
      const parsed = f.market.interface.parseLog(log);
      return parsed?.name === 'ProductMetadataSet' ? [parsed.args.toArray() as unknown[]] : [];
    });
  };

  it('lets only the marketplace’s owner trust a lister, and only listers create for others', async () => {
    const [lister, stranger] = [f.others[0]!, f.others[1]!];
    expect(await f.market.owner()).toBe(f.admin.address);
    expect(await f.market.isLister(f.deployment.factory)).toBe(true);
    expect(
      await revertOf(f.market.connect(stranger).setLister(stranger.address, true), marketplaceAbi),
    ).toEqual({ name: 'OwnableUnauthorizedAccount', args: [stranger.address] });
    const createFor = (as: typeof lister, owner: string) =>
      f.market
        .connect(as)
        .createProductFor(
          owner,
          id('for-someone'),
          'listed',
          f.deployment.dataUnion,
          f.deployment.token,
          PRICE,
          'https://u.example',
        );
    expect(await revertOf(createFor(lister, stranger.address), marketplaceAbi)).toEqual({
      name: 'NotLister',
      args: [lister.address],
    });

    await (await f.market.setLister(lister.address, true)).wait();
    expect((await revertOf(createFor(lister, ZeroAddress), marketplaceAbi)).name).toBe(
      'ZeroAddress',
    );
    expect(await metadataEvents(createFor(lister, stranger.address))).toEqual([
      [id('for-someone'), 'https://u.example'],
    ]);
    expect((await f.market.getProduct(id('for-someone'))).owner).toBe(stranger.address);

    await (await f.market.setLister(lister.address, false)).wait();
    expect((await revertOf(createFor(lister, stranger.address), marketplaceAbi)).name).toBe(
      'NotLister',
    );
  });

  it('lets only a product’s owner publish its metadata URL', async () => {
    expect(
      await metadataEvents(f.market.setProductMetadata(productId(), 'https://moved.example')),
    ).toEqual([[productId(), 'https://moved.example']]);
    expect(
      await revertOf(
        f.market.connect(f.researcher).setProductMetadata(productId(), 'https://evil.example'),
        marketplaceAbi,
      ),
    ).toEqual({ name: 'NotProductOwner', args: [productId(), f.researcher.address] });
    expect(
      (await revertOf(f.market.setProductMetadata(id('nope'), 'x'), marketplaceAbi)).name,
    ).toBe('ProductNotFound');
  });
});
