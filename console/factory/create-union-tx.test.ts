import { Interface } from 'ethers';
import { describe, expect, it } from 'vitest';

import { createUnionErrorsAbi } from '../../contracts/factory.ts';
import { createUnionErrorFrom } from './create-union-tx.ts';

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
