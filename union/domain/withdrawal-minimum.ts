/**
 * The smallest payout the relay spends gas on (issue 16, item 4: with a minimum of one base unit
 * anyone could make the operator pay ~60–110 k gas for dust). The revenue token is an arbitrary
 * ERC-20, so the union cannot know what gas is worth in it: the operator states it, or accepts
 * the default of one whole token.
 *
 *   explicit `minWithdrawal`                       → that many base units
 *   `relayGasPriceWei` and `tokenUnitsPerNativeCoin` → ⌈RELAYED_WITHDRAW_GAS × relayGasPriceWei
 *                                                      × tokenUnitsPerNativeCoin / 10^18⌉
 *   neither                                         → 10^decimals (one whole token)
 *
 * and never less than one base unit.
 */

/**
 * Gas of the costliest relayed withdrawal: `withdrawAllToSigned` with a proof of depth 20 to a
 * fresh recipient, whose ceiling `npm run bench:gas` enforces (contracts/testing/gas-scenarios.ts).
 */
export const RELAYED_WITHDRAW_GAS = 110_000n;

const WEI_PER_NATIVE_COIN = 10n ** 18n;

export interface MinimumOptions {
  minWithdrawal?: string | undefined;
  relayGasPriceWei?: string | undefined;
  tokenUnitsPerNativeCoin?: string | undefined;
}

/** The minimum when it does not depend on the token (null: one whole token, see `decimals`). */
function configuredMinimum(o: MinimumOptions): bigint | null {
  if (o.minWithdrawal !== undefined) return atLeastOne(BigInt(o.minWithdrawal));
  if (o.relayGasPriceWei === undefined || o.tokenUnitsPerNativeCoin === undefined) return null;
  const weiCost = RELAYED_WITHDRAW_GAS * BigInt(o.relayGasPriceWei);
  const scaled = weiCost * BigInt(o.tokenUnitsPerNativeCoin);
  return atLeastOne((scaled + WEI_PER_NATIVE_COIN - 1n) / WEI_PER_NATIVE_COIN);
}

/** The minimum for a token with `decimals` decimals. */
export function minimumWithdrawal(o: MinimumOptions, decimals: number): bigint {
  return configuredMinimum(o) ?? 10n ** BigInt(decimals);
}

function atLeastOne(amount: bigint): bigint {
  return amount > 0n ? amount : 1n;
}
