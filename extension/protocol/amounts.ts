/**
 * Token amounts are integers in base units (decimal strings on the wire). These helpers format
 * them for people without floating point and without pulling ethers into small bundles.
 */

export interface TokenInfo {
  symbol: string;
  decimals: number;
}

/**
 * `formatAmount("1234500000000000000", { symbol: "DATA", decimals: 18 })` → "1.2345 DATA".
 * Rounds toward zero to `maxFractionDigits`, trims trailing zeros, groups thousands.
 */
export function formatAmount(
  baseUnits: bigint | string,
  token: TokenInfo,
  maxFractionDigits = 4,
): string {
  const value = typeof baseUnits === 'bigint' ? baseUnits : BigInt(baseUnits);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const scale = 10n ** BigInt(token.decimals);
  const whole = abs / scale;
  const fraction = (abs % scale).toString().padStart(token.decimals, '0');
  const shown = fraction.slice(0, Math.min(maxFractionDigits, token.decimals)).replace(/0+$/, '');
  const grouped = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const tiny = whole === 0n && shown === '' && abs > 0n;
  const number = tiny
    ? `< 0.${'0'.repeat(Math.max(0, maxFractionDigits - 1))}1`
    : `${grouped}${shown ? `.${shown}` : ''}`;
  return `${negative ? '−' : ''}${number} ${token.symbol}`.trim();
}

/** Parses "1.5" into base units; returns undefined for anything that is not a plain amount. */
export function parseAmount(text: string, decimals: number): bigint | undefined {
  const match = /^\s*(\d{1,60})(?:\.(\d{0,78}))?\s*$/.exec(text);
  if (!match) return undefined;
  const [, whole = '0', fraction = ''] = match;
  if (fraction.length > decimals) return undefined;
  return BigInt(whole) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
}
