import { describe, expect, it } from 'vitest';

import { minimumWithdrawal, RELAYED_WITHDRAW_GAS } from './withdrawal-minimum.ts';

describe('the minimum withdrawal', () => {
  it('is one whole token when the operator states nothing', () => {
    expect(minimumWithdrawal({}, 18)).toBe(10n ** 18n);
    expect(minimumWithdrawal({}, 6)).toBe(1_000_000n);
  });

  it('covers the relay’s gas at the stated gas price and token value, rounded up', () => {
    // 30 gwei, and 1 ETH worth 3,000 of a 6-decimals token: 110,000 × 30e9 wei = 0.0033 ETH = 9.9 tokens.
    const usdcLike = { relayGasPriceWei: '30000000000', tokenUnitsPerNativeCoin: '3000000000' };
    expect(minimumWithdrawal(usdcLike, 6)).toBe(9_900_000n);
    // A gas price whose cost is a fraction of a base unit still costs one unit more.
    const odd = { relayGasPriceWei: '1', tokenUnitsPerNativeCoin: String(10n ** 13n + 1n) };
    expect(minimumWithdrawal(odd, 18)).toBe(RELAYED_WITHDRAW_GAS / 100_000n + 1n);
  });

  it('takes an explicit minimum as it is, but never below one base unit', () => {
    const both = { relayGasPriceWei: '30000000000', tokenUnitsPerNativeCoin: '3000000000' };
    expect(minimumWithdrawal({ ...both, minWithdrawal: '5' }, 6)).toBe(5n);
    expect(minimumWithdrawal({ minWithdrawal: '0' }, 18)).toBe(1n);
    expect(minimumWithdrawal({ relayGasPriceWei: '0', tokenUnitsPerNativeCoin: '1' }, 18)).toBe(1n);
  });
});
