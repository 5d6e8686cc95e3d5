/**
 * DataUnionFactory: one transaction makes a clone, initialises it and lists its product.
 * Protects: the caller is the union's admin and its product's owner (not the factory), the
 * product pays the new union, the event and the TypeScript helper report the same addresses,
 * the union URL reaches the marketplace's events, a creator cannot be squatted on (CREATE2 salt
 * bound to the caller), and a factory the marketplace does not trust cannot list anything.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ContractFactory, Interface, ZeroAddress, id } from 'ethers';
import {
  createUnion,
  createUnionErrorsAbi,
  sendCreateUnion,
  unionCreatedIn,
  unionProductId,
} from './factory.ts';
import type { UnionSettings } from './factory.ts';
import { dataUnionAt } from './generated/data-union.ts';
import {
  dataUnionFactoryAbi,
  dataUnionFactoryAt,
  dataUnionFactoryBytecode,
} from './generated/data-union-factory.ts';
import { marketplaceAbi } from './generated/marketplace.ts';
import { FREEZE_PERIOD, snapshotter, unionFixture } from './testing/fixture.ts';
import type { UnionFixture } from './testing/fixture.ts';
import { revertOf } from './testing/revert.ts';

let f: UnionFixture;
let chain: Awaited<ReturnType<typeof snapshotter>>;
const market = new Interface(marketplaceAbi);

beforeAll(async () => {
  f = await unionFixture();
  chain = await snapshotter(f.provider);
});
beforeEach(() => chain.restore());

const settings = (overrides: Partial<UnionSettings> = {}): UnionSettings => ({
  token: f.deployment.token,
  operator: f.operator.address,
  freezePeriodSeconds: FREEZE_PERIOD,
  adminFeeFraction: 2n * 10n ** 17n,
  pricePerSecond: 12_345n,
  name: 'Second union',
  metadataUrl: 'https://second.union.example',
  salt: id('second'),
  ...overrides,
});

describe('createUnion', () => {
  it('makes the caller admin of a new clone and owner of its listed product, in one transaction', async () => {
    const creator = f.others[0]!;
    const tx = await sendCreateUnion(creator, f.deployment.factory, settings());
    const receipt = await tx.wait();

    const { union: unionAddress } = unionCreatedIn(receipt, f.deployment.factory);
    const union = dataUnionAt(unionAddress, f.admin);
    const productId = unionProductId(unionAddress);
    const listing = receipt!.logs.flatMap((log) => {
      if (log.address !== f.deployment.marketplace) return [];
      const parsed = market.parseLog(log);
      return parsed ? [[parsed.name, ...(parsed.args.toArray() as unknown[])]] : [];
    });
    expect(listing).toEqual([
      [
        'ProductCreated',
        productId,
        creator.address,
        unionAddress,
        f.deployment.token,
        12_345n,
        'Second union',
      ],
      ['ProductMetadataSet', productId, 'https://second.union.example'],
    ]);

    expect(await union.owner()).toBe(creator.address);
    expect(await union.operator()).toBe(f.operator.address);
    expect(await union.token()).toBe(f.deployment.token);
    expect(await union.freezePeriod()).toBe(FREEZE_PERIOD);
    expect(await union.adminFeeFraction()).toBe(2n * 10n ** 17n);

    const product = await f.market.getProduct(productId);
    expect(product.owner).toBe(creator.address);
    expect(product.beneficiary).toBe(unionAddress);
    expect(product.token).toBe(f.deployment.token);
    expect(product.pricePerSecond).toBe(12_345n);
    expect(product.name).toBe('Second union');
    expect(product.active).toBe(true);
    const factory = dataUnionFactoryAt(f.deployment.factory, f.admin);
    expect(await factory.productIdOf(unionAddress)).toBe(productId);
    expect(await factory.template()).toBe(f.deployment.template);
    expect(await factory.marketplace()).toBe(f.deployment.marketplace);

    // The admin, not the factory, owns the product: they reprice and stop it.
    await (await f.market.connect(creator).updateProduct(productId, unionAddress, 1n)).wait();
    await (await f.market.connect(creator).deactivateProduct(productId)).wait();
    expect((await f.market.getProduct(productId)).active).toBe(false);
  });

  it('reports the event’s addresses through the helper', async () => {
    const creator = f.others[1]!;
    const created = await createUnion(creator, f.deployment.factory, settings());
    expect(created).toMatchObject({
      admin: creator.address,
      operator: f.operator.address,
      token: f.deployment.token,
      freezePeriod: FREEZE_PERIOD,
      adminFeeFraction: 2n * 10n ** 17n,
      productId: unionProductId(created.union),
    });
    const receipt = await f.provider.getTransactionReceipt(created.txHash);
    expect(receipt?.blockNumber).toBe(created.blockNumber);
    expect(await f.provider.getCode(created.union)).not.toBe('0x');
    expect(created.union).not.toBe(f.deployment.dataUnion);
  });

  it('binds the clone address to the caller: a salt is one caller’s, once', async () => {
    const [alice, bob] = [f.others[2]!, f.others[3]!];
    const mine = await createUnion(alice, f.deployment.factory, settings());
    // Bob using Alice's salt gets another address, so nobody can pre-compute (and squat the
    // product id of) a union before its creator's transaction is public.
    const theirs = await createUnion(bob, f.deployment.factory, settings());
    expect(theirs.union).not.toBe(mine.union);
    expect(
      (
        await revertOf(
          sendCreateUnion(alice, f.deployment.factory, settings()),
          createUnionErrorsAbi,
        )
      ).name,
    ).toBe('FailedDeployment');
  });

  it('lists nothing and creates nothing from a factory the marketplace does not trust', async () => {
    const rogue = await new ContractFactory(
      dataUnionFactoryAbi,
      dataUnionFactoryBytecode,
      f.admin,
    ).deploy(f.deployment.template, f.deployment.marketplace);
    const address = await rogue.getAddress();
    expect(
      await revertOf(sendCreateUnion(f.others[4]!, address, settings()), createUnionErrorsAbi),
    ).toEqual({ name: 'NotLister', args: [address] });

    // Once the marketplace's owner trusts it, it lists like the listing one.
    await (await f.market.setLister(address, true)).wait();
    const created = await createUnion(f.others[4]!, address, settings());
    expect((await f.market.getProduct(created.productId)).owner).toBe(f.others[4]!.address);
  });

  it('refuses a zero template or marketplace at deployment', async () => {
    const deploy = (template: string, marketplace: string) =>
      new ContractFactory(dataUnionFactoryAbi, dataUnionFactoryBytecode, f.admin).deploy(
        template,
        marketplace,
      );
    for (const [template, marketplace] of [
      [ZeroAddress, f.deployment.marketplace],
      [f.deployment.template, ZeroAddress],
    ] as const) {
      expect((await revertOf(deploy(template, marketplace), dataUnionFactoryAbi)).name).toBe(
        'ZeroAddress',
      );
    }
  });

  it('decodes every revert of a union creation with createUnionErrorsAbi', () => {
    const names = createUnionErrorsAbi.map((e) => e.name);
    for (const name of ['AdminFeeTooHigh', 'FreezePeriodTooShort', 'NotLister', 'ProductExists']) {
      expect(names).toContain(name);
    }
  });
});
