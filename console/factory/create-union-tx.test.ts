import { Interface } from 'ethers';
import { beforeAll, describe, expect, it } from 'vitest';

import { createUnionErrorsAbi } from '../../contracts/factory.ts';
import { unionFixture, type UnionFixture } from '../../contracts/testing/fixture.ts';
import type { ConnectedWallet } from '../wallet/wallet.ts';
import { createUnionErrorFrom, createUnionWithWallet } from './create-union-tx.ts';
import type { ValidUnionForm } from './union-form.ts';

const abi = new Interface(createUnionErrorsAbi);

describe('createUnionErrorFrom', () => {
  it('says the person declined when the wallet refused to sign', () => {
    expect(createUnionErrorFrom({ code: 4001, message: 'User rejected' })).toMatchObject({
      code: 'REJECTED',
      message: 'You declined the transaction in your wallet; nothing was created.',
    });
    expect(createUnionErrorFrom({ code: 'ACTION_REJECTED' }).code).toBe('REJECTED');
  });

  it('decodes a revert from the factory, the DataUnion or the Marketplace into a sentence', () => {
    const notLister = abi.encodeErrorResult('NotLister', [`0x${'11'.repeat(20)}`]);
    expect(createUnionErrorFrom({ data: notLister })).toMatchObject({
      code: 'REVERTED',
      message: expect.stringContaining('(NotLister): This factory may not list products') as string,
    });
    const tooShort = abi.encodeErrorResult('FreezePeriodTooShort', [10, 60]);
    // Wallets nest the revert data differently; every place ethers and EIP-1193 use is read.
    expect(createUnionErrorFrom({ info: { error: { data: tooShort } } }).message).toBe(
      'The factory refused the union (FreezePeriodTooShort): The freeze period is shorter than the contract allows (60 s).',
    );
    expect(createUnionErrorFrom({ error: { data: { data: tooShort } } }).code).toBe('REVERTED');
  });

  it('names an unknown revert by its selector and any other failure by its short message', () => {
    expect(createUnionErrorFrom({ data: '0xdeadbeef' }).message).toBe(
      'The factory refused the union (revert data 0xdeadbeef).',
    );
    expect(createUnionErrorFrom({ shortMessage: 'network error' })).toMatchObject({
      code: 'FAILED',
      message: 'Could not create the union: network error.',
    });
  });
});

describe('createUnionWithWallet on the in-process EVM', () => {
  let f: UnionFixture;
  let wallet: ConnectedWallet;
  const form = (change: Partial<ValidUnionForm> = {}): ValidUnionForm => ({
    factory: f.deployment.factory,
    name: 'Chain test union',
    description: '',
    token: f.deployment.token,
    operator: f.operator.address,
    adminFeeFraction: 10n ** 17n,
    freezePeriodSeconds: 3600n,
    pricePerSecond: 10n ** 13n,
    pricePerDay: 864n * 10n ** 15n,
    unionUrl: 'https://chain-test.example',
    ...change,
  });

  beforeAll(async () => {
    f = await unionFixture();
    const signer = f.others[2]!;
    wallet = { address: signer.address, chainId: f.chainId, signer, provider: f.provider };
  });

  it('creates the union in one transaction, reporting each stage, and finds its Marketplace', async () => {
    const stages: string[] = [];
    const made = await createUnionWithWallet(wallet, f.chainId, form(), (p) =>
      stages.push(p.stage),
    );
    expect(stages).toEqual(['wallet', 'pending', 'mined']);
    expect(made.admin).toBe(wallet.address);
    expect(made.marketplace).toBe(f.deployment.marketplace.toLowerCase());
    const product = await f.market.getProduct(made.productId);
    expect(product.beneficiary).toBe(made.union);
    expect(product.owner).toBe(wallet.address);
  });

  it('decodes the DataUnion revert the factory bubbles up', async () => {
    // A freeze period the form refuses, sent anyway: the clone's initialiser reverts.
    await expect(
      createUnionWithWallet(wallet, f.chainId, form({ freezePeriodSeconds: 30n }), () => {}),
    ).rejects.toMatchObject({
      code: 'REVERTED',
      message: expect.stringContaining('(FreezePeriodTooShort)') as string,
    });
  });

  it('refuses to send on another chain', async () => {
    await expect(createUnionWithWallet(wallet, 1n, form(), () => {})).rejects.toMatchObject({
      code: 'WRONG_CHAIN',
    });
  });
});
