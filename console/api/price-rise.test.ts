/**
 * A purchase refused because the price rose after the researcher saw it is recognised, from the
 * error a real Marketplace on the in-process EVM reverts with through the console's own ABI.
 * Protects: the console tells the researcher the price changed and nothing was charged, instead of
 * a raw revert.
 */
import { Contract } from 'ethers';
import { beforeAll, describe, expect, it } from 'vitest';

import { unionFixture, type UnionFixture } from '../../contracts/testing/fixture.ts';
import { priceRiseOf } from './price-rise.ts';
import { marketplaceAbi } from './product.ts';

const PRICE = 1_000n;
let f: UnionFixture;

beforeAll(async () => {
  f = await unionFixture({ pricePerSecond: PRICE });
  await (await f.token.mint(f.researcher.address, 10n ** 24n)).wait();
  await (await f.token.connect(f.researcher).approve(f.deployment.marketplace, 2n ** 255n)).wait();
});

describe('priceRiseOf', () => {
  it('reads the new price and the shown one from a purchase refused after a price rise', async () => {
    const market = new Contract(f.deployment.marketplace, marketplaceAbi, f.researcher);
    const shown = 10n * PRICE;
    await (
      await f.market.updateProduct(f.deployment.productId, f.deployment.dataUnion, 3n * PRICE)
    ).wait();
    const failure = await market.buy!(f.deployment.productId, 10n, shown).then(
      () => null,
      (error: unknown) => error,
    );
    expect(priceRiseOf(failure)).toEqual({ price: 30n * PRICE, maxPrice: shown });
  });

  it('is null for any other failure', () => {
    expect(priceRiseOf(new Error('insufficient funds'))).toBeNull();
    expect(priceRiseOf({ code: 4001 })).toBeNull();
  });
});
