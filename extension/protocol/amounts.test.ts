import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { formatAmount, parseAmount } from './amounts.ts';

const data = { symbol: 'DATA', decimals: 18 };

describe('token amount formatting', () => {
  it.each([
    ['0', '0 DATA'],
    ['1000000000000000000', '1 DATA'],
    ['1234500000000000000', '1.2345 DATA'],
    ['1234567890000000000', '1.2345 DATA'],
    ['1234567000000000000000000', '1,234,567 DATA'],
    ['1', '< 0.0001 DATA'],
  ])('formats %s base units as “%s”', (units, text) => {
    expect(formatAmount(units, data)).toBe(text);
  });

  it('formats tokens with no decimals', () => {
    expect(formatAmount(42n, { symbol: 'PTS', decimals: 0 })).toBe('42 PTS');
  });

  it('parses what people type and refuses anything else', () => {
    expect(parseAmount('1.5', 18)).toBe(1_500_000_000_000_000_000n);
    expect(parseAmount(' 2 ', 6)).toBe(2_000_000n);
    expect(parseAmount('1.1234567', 6)).toBeUndefined();
    expect(parseAmount('-1', 6)).toBeUndefined();
    expect(parseAmount('1e3', 6)).toBeUndefined();
    expect(parseAmount('', 6)).toBeUndefined();
  });

  it('round-trips whole amounts through parse and format', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), (whole) => {
        const units = parseAmount(whole.toString(), 18)!;
        expect(formatAmount(units, data).replace(/,/g, '')).toBe(`${whole} DATA`);
      }),
    );
  });
});
