/**
 * Reads the Marketplace's `PriceAboveMaximum` out of a failed purchase: the price rose between the
 * moment the researcher saw it and the moment the purchase ran, so the purchase was refused and
 * nothing was charged. A wallet surfaces it as a call exception carrying the raw revert data.
 */
import { Interface, isCallException } from 'ethers';

/** The Marketplace error a purchase above the buyer's `maxPrice` reverts with. */
export const priceAboveMaximumAbi = 'error PriceAboveMaximum(uint256 price, uint256 maxPrice)';

const errors = new Interface([priceAboveMaximumAbi]);

export interface PriceRise {
  /** What the purchase would cost now, in token base units. */
  readonly price: bigint;
  /** What the buyer agreed to pay (the price they were shown). */
  readonly maxPrice: bigint;
}

export function priceRiseOf(error: unknown): PriceRise | null {
  if (!isCallException(error) || !error.data) return null;
  const parsed = errors.parseError(error.data);
  if (parsed?.name !== 'PriceAboveMaximum') return null;
  const [price, maxPrice] = parsed.args.toArray() as [bigint, bigint];
  return { price, maxPrice };
}
