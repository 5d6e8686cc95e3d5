/**
 * The "Create a union" form's rules (pure): every field is checked before anything is sent, with a
 * sentence per field, and a valid form becomes the factory's parameters. The bounds are the
 * contracts' (DataUnion: freeze period 60 s … 30 days, admin fee ≤ 50 %; Marketplace: price per
 * second < 2^96) so a valid form does not revert for a reason the form could have told.
 */
import { parseAmount } from '../../extension/protocol/amounts.ts';
import { addressSchema } from '../../extension/protocol/wire.ts';
import { unionOrigin } from '../marketplace/union-probe.ts';

export const MIN_FREEZE_SECONDS = 60;
export const MAX_FREEZE_SECONDS = 30 * 86_400;
/** The DataUnion's MAX_ADMIN_FEE_FRACTION, 0.5e18, as a percentage. */
export const MAX_ADMIN_FEE_PERCENT = 50;
const SECONDS_PER_DAY = 86_400n;
const MAX_PRICE_PER_SECOND = 2n ** 96n - 1n;
const ZERO_ADDRESS = `0x${'0'.repeat(40)}`;

export const freezeUnits = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 } as const;
export type FreezeUnit = keyof typeof freezeUnits;

export interface UnionFormInput {
  factory: string;
  name: string;
  description: string;
  token: string;
  adminFeePercent: string;
  freezePeriod: string;
  freezeUnit: FreezeUnit;
  operator: string;
  pricePerDay: string;
  unionUrl: string;
}

export type UnionFormField = keyof UnionFormInput;

export interface ValidUnionForm {
  factory: string;
  name: string;
  description: string;
  token: string;
  operator: string;
  adminFeeFraction: bigint;
  freezePeriodSeconds: bigint;
  pricePerSecond: bigint;
  /** What a day really costs: the price per second is whole base units, so it may round down. */
  pricePerDay: bigint;
  /** The union server's origin (no path, no trailing slash). */
  unionUrl: string;
}

export type UnionFormResult =
  | { ok: true; value: ValidUnionForm }
  | { ok: false; errors: Partial<Record<UnionFormField, string>> };

function address(text: string, what: string): { value: string } | { error: string } {
  const trimmed = text.trim();
  if (!addressSchema.safeParse(trimmed).success)
    return { error: `${what} must be 0x followed by 40 hexadecimal characters.` };
  if (trimmed.toLowerCase() === ZERO_ADDRESS)
    return { error: `${what} cannot be the zero address.` };
  return { value: trimmed };
}

/** Admin fee percentage with at most 16 decimals → 1e18 fraction. */
function feeFraction(text: string): bigint | undefined {
  const percentUnits = parseAmount(text, 16); // 1 % = 1e16 of 1e18
  if (percentUnits === undefined) return undefined;
  return percentUnits > BigInt(MAX_ADMIN_FEE_PERCENT) * 10n ** 16n ? undefined : percentUnits;
}

/**
 * The price per day typed, as the Marketplace stores it: whole base units per second, so a day
 * may cost a little less than typed (`pricePerDay` says what it really costs). `decimals` are the
 * token's, null while unknown.
 */
export function listedPrice(
  text: string,
  decimals: number | null,
): { pricePerSecond: bigint; pricePerDay: bigint } | { error: string } {
  if (decimals === null)
    return { error: 'The token’s decimals are not known yet: check the token address.' };
  const perDay = parseAmount(text, decimals);
  if (perDay === undefined || perDay <= 0n)
    return {
      error: `The price per day is a positive amount of the token, with at most ${decimals} decimals.`,
    };
  const pricePerSecond = perDay / SECONDS_PER_DAY;
  if (pricePerSecond === 0n)
    return {
      error: 'The price per day is too small: it must be at least one base unit per second.',
    };
  if (pricePerSecond > MAX_PRICE_PER_SECOND)
    return { error: 'The price per day is larger than the Marketplace can store.' };
  return { pricePerSecond, pricePerDay: pricePerSecond * SECONDS_PER_DAY };
}

/**
 * Checks the form; `decimals` are the token's (null while unknown: the price cannot be checked).
 */
export function validateUnionForm(input: UnionFormInput, decimals: number | null): UnionFormResult {
  const errors: Partial<Record<UnionFormField, string>> = {};
  const factory = address(input.factory, 'The factory address');
  if ('error' in factory) errors.factory = factory.error;
  const token = address(input.token, 'The token address');
  if ('error' in token) errors.token = token.error;
  const operator = address(input.operator, 'The operator address');
  if ('error' in operator) errors.operator = operator.error;

  const name = input.name.trim();
  if (name.length === 0) errors.name = 'Give the union’s product a name.';
  else if (name.length > 200) errors.name = 'The name is at most 200 characters.';
  const description = input.description.trim();
  if (description.length > 2000)
    errors.description = 'The description is at most 2,000 characters.';

  const fee = feeFraction(input.adminFeePercent);
  if (fee === undefined)
    errors.adminFeePercent = `The admin fee is a percentage from 0 to ${MAX_ADMIN_FEE_PERCENT}.`;

  const freezeCount = /^\s*\d{1,9}\s*$/.test(input.freezePeriod) ? Number(input.freezePeriod) : NaN;
  const freezeSeconds = freezeCount * freezeUnits[input.freezeUnit];
  if (
    !Number.isInteger(freezeSeconds) ||
    freezeSeconds < MIN_FREEZE_SECONDS ||
    freezeSeconds > MAX_FREEZE_SECONDS
  ) {
    errors.freezePeriod =
      'The freeze period is a whole number from 60 seconds to 30 days: time for anyone to check a committed root and the admin to revoke a bad one.';
  }

  const price = listedPrice(input.pricePerDay, decimals);
  if ('error' in price) errors.pricePerDay = price.error;

  const origin = unionOrigin(input.unionUrl.trim());
  if ('problem' in origin) {
    errors.unionUrl = `The union URL is where its server will answer (https://…): ${origin.problem}.`;
  } else if (new URL(input.unionUrl.trim()).pathname.replace(/\/+$/, '') !== '') {
    errors.unionUrl = 'The union URL is the server’s base URL, without a path.';
  }

  if (
    'error' in factory ||
    'error' in token ||
    'error' in operator ||
    fee === undefined ||
    'problem' in origin ||
    'error' in price ||
    Object.keys(errors).length > 0
  ) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    value: {
      factory: factory.value,
      name,
      description,
      token: token.value,
      operator: operator.value,
      adminFeeFraction: fee,
      freezePeriodSeconds: BigInt(freezeSeconds),
      pricePerSecond: price.pricePerSecond,
      pricePerDay: price.pricePerDay,
      unionUrl: origin.origin,
    },
  };
}
