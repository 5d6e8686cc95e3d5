/** Validation of the values that enter the accounting; each throws a typed AccountingError. */
import { AccountingError } from './errors.ts';

/** Admin fee fractions are in units of 1e-18: 1e18 = 100 %. */
export const FEE_SCALE = 10n ** 18n;
const MAX_UINT256 = (1n << 256n) - 1n;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

export function checkFee(fraction: bigint): bigint {
  if (fraction < 0n || fraction > FEE_SCALE) {
    throw new AccountingError(
      'ACCOUNTING_INVALID_FEE',
      `The admin fee is a fraction between 0 and 1e18 (100 %); got ${fraction}.`,
    );
  }
  return fraction;
}

export function checkMinAge(seconds: number): number {
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw new AccountingError(
      'ACCOUNTING_INVALID_CONFIG',
      `The minimum membership age must be a whole number of seconds ≥ 0; got ${seconds}.`,
    );
  }
  return seconds;
}

export function checkTime(at: number): void {
  if (!Number.isSafeInteger(at) || at < 0) {
    throw new AccountingError(
      'ACCOUNTING_INVALID_TIME',
      `Event times are whole unix seconds ≥ 0; got ${at}.`,
    );
  }
}

export function checkAmount(amount: bigint): void {
  if (amount < 0n || amount > MAX_UINT256) {
    throw new AccountingError(
      'ACCOUNTING_INVALID_AMOUNT',
      `A revenue amount must be an integer between 0 and 2^256 - 1; got ${amount}.`,
    );
  }
}

/** The canonical (lower-case) key of a member address. */
export function memberKey(address: string): string {
  if (!ADDRESS.test(address)) {
    throw new AccountingError(
      'ACCOUNTING_INVALID_ADDRESS',
      `"${address.slice(0, 50)}" is not a 0x-prefixed 20-byte address.`,
    );
  }
  return address.toLowerCase();
}

/** The canonical (lower-case) key of a chain log id (revenue, fee change), `txHash:logIndex`. */
export function logIdKey(id: string): string {
  if (id.length === 0 || id.length > 200) {
    throw new AccountingError(
      'ACCOUNTING_INVALID_REVENUE_ID',
      'A revenue or fee-change id is "txHash:logIndex", between 1 and 200 characters.',
    );
  }
  return id.toLowerCase();
}
