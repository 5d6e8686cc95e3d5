import { describe, expect, it } from 'vitest';

import { validateUnionForm, type UnionFormInput } from './union-form.ts';

const valid: UnionFormInput = {
  factory: `0x${'1f'.repeat(20)}`,
  name: '  Weather union ',
  description: 'Rain by street',
  token: `0x${'7a'.repeat(20)}`,
  adminFeePercent: '10',
  freezePeriod: '2',
  freezeUnit: 'hours',
  operator: `0x${'0b'.repeat(20)}`,
  pricePerDay: '1.5',
  unionUrl: 'https://union.example/',
};

const errorsOf = (change: Partial<UnionFormInput>, decimals: number | null = 18) => {
  const result = validateUnionForm({ ...valid, ...change }, decimals);
  return result.ok ? {} : result.errors;
};

describe('validateUnionForm', () => {
  it('turns a valid form into the factory parameters', () => {
    const result = validateUnionForm(valid, 18);
    expect(result).toEqual({
      ok: true,
      value: {
        factory: valid.factory,
        name: 'Weather union',
        description: 'Rain by street',
        token: valid.token,
        operator: valid.operator,
        adminFeeFraction: 10n ** 17n,
        freezePeriodSeconds: 7200n,
        pricePerSecond: (15n * 10n ** 17n) / 86_400n,
        pricePerDay: ((15n * 10n ** 17n) / 86_400n) * 86_400n,
        unionUrl: 'https://union.example',
      },
    });
  });

  it('accepts the bounds: fee 0 and 50 %, freeze 60 s and 30 days, loopback http', () => {
    expect(validateUnionForm({ ...valid, adminFeePercent: '0' }, 18).ok).toBe(true);
    expect(validateUnionForm({ ...valid, adminFeePercent: '50' }, 18).ok).toBe(true);
    expect(validateUnionForm({ ...valid, freezePeriod: '60', freezeUnit: 'seconds' }, 18).ok).toBe(
      true,
    );
    expect(validateUnionForm({ ...valid, freezePeriod: '30', freezeUnit: 'days' }, 18).ok).toBe(
      true,
    );
    expect(validateUnionForm({ ...valid, unionUrl: 'http://127.0.0.1:8788' }, 18).ok).toBe(true);
  });

  it('names every wrong field in a sentence', () => {
    expect(errorsOf({ token: '0x12' }).token).toMatch(/40 hexadecimal/);
    expect(errorsOf({ operator: `0x${'0'.repeat(40)}` }).operator).toMatch(/zero address/);
    expect(errorsOf({ factory: '' }).factory).toMatch(/factory address/);
    expect(errorsOf({ name: '   ' }).name).toMatch(/name/);
    expect(errorsOf({ name: 'x'.repeat(201) }).name).toMatch(/200/);
    expect(errorsOf({ description: 'x'.repeat(2001) }).description).toMatch(/2,000/);
    expect(errorsOf({ adminFeePercent: '50.01' }).adminFeePercent).toMatch(/0 to 50/);
    expect(errorsOf({ adminFeePercent: '-1' }).adminFeePercent).toMatch(/0 to 50/);
    expect(errorsOf({ freezePeriod: '59', freezeUnit: 'seconds' }).freezePeriod).toMatch(
      /60 seconds to 30 days/,
    );
    expect(errorsOf({ freezePeriod: '31', freezeUnit: 'days' }).freezePeriod).toMatch(/60 seconds/);
    expect(errorsOf({ freezePeriod: '1.5' }).freezePeriod).toMatch(/whole number/);
    expect(errorsOf({ pricePerDay: '0' }).pricePerDay).toMatch(/positive/);
    expect(errorsOf({ pricePerDay: '0.00000000000001' }).pricePerDay).toMatch(/too small/);
    expect(errorsOf({ pricePerDay: '1.1234567' }, 6).pricePerDay).toMatch(/at most 6 decimals/);
    expect(errorsOf({ pricePerDay: '1'.repeat(40) }).pricePerDay).toMatch(/larger than/);
    expect(errorsOf({}, null).pricePerDay).toMatch(/decimals are not known/);
    expect(errorsOf({ unionUrl: 'http://union.example' }).unionUrl).toMatch(/must use https/);
    expect(errorsOf({ unionUrl: 'https://union.example/api' }).unionUrl).toMatch(/without a path/);
    expect(errorsOf({ unionUrl: 'union' }).unionUrl).toMatch(/not a valid URL/);
  });

  it('says nothing about fields that are right', () => {
    expect(Object.keys(errorsOf({ token: 'nope' }))).toEqual(['token']);
  });
});
