import { describe, expect, it } from 'vitest';

import { walletErrorFrom, WalletError } from './wallet.ts';

describe('walletErrorFrom', () => {
  it('says a rejection in the wallet is the person declining, in a whole sentence', () => {
    const e = walletErrorFrom({ code: 4001 }, 'approve the token spending');
    expect(e.code).toBe('REJECTED');
    expect(e.message).toBe(
      'You declined the request to approve the token spending in your wallet.',
    );
    expect(walletErrorFrom({ code: 'ACTION_REJECTED' }, 'sign in').code).toBe('REJECTED');
    expect(walletErrorFrom({ info: { error: { code: 4001 } } }, 'sign in').code).toBe('REJECTED');
  });

  it('adds the provider’s short reason to any other failure', () => {
    const e = walletErrorFrom({ shortMessage: 'insufficient funds' }, 'buy the subscription');
    expect(e.code).toBe('FAILED');
    expect(e.message).toBe('Could not buy the subscription: insufficient funds.');
    expect(walletErrorFrom(new Error('x'), 'sign in').message).toBe('Could not sign in.');
  });

  it('passes a WalletError through unchanged', () => {
    const original = new WalletError('REJECTED', 'kept');
    expect(walletErrorFrom(original, 'anything')).toBe(original);
  });
});
