import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testTask } from '../test-support/categories.ts';
import { decodeFieldVector } from './prio3-shares.ts';
import { sumVecFor } from './task.ts';

const { field } = sumVecFor(testTask([1, 2, 3])).flp;

describe('decodeFieldVector', () => {
  it('reads what the library encodes and decodes, element for element', () => {
    const edge = [0n, 1n, (1n << 64n) - 1n, 1n << 64n, field.modulus - 1n];
    const random = Array.from({ length: 200 }, () => {
      const n = BigInt(`0x${randomBytes(field.encodedSize).toString('hex')}`);
      return n % field.modulus;
    });
    const bytes = field.encode([...edge, ...random]);
    expect(decodeFieldVector(field, bytes)).toEqual([...edge, ...random]);
    expect(decodeFieldVector(field, bytes)).toEqual(field.decode(bytes));
    const offset = new Uint8Array(bytes.length + 3);
    offset.set(bytes, 3);
    expect(decodeFieldVector(field, offset.subarray(3))).toEqual(field.decode(bytes));
  });

  it('refuses an element at or above the modulus, and a length that is not whole elements, as the library does', () => {
    const modulus = field.encode([0n, 0n]);
    modulus.set(field.encode([field.modulus - 1n]), field.encodedSize);
    modulus[field.encodedSize] = modulus[field.encodedSize]! + 1; // the second element = modulus
    for (const bad of [modulus, new Uint8Array(field.encodedSize).fill(0xff)]) {
      expect(() => field.decode(bad)).toThrow();
      expect(() => decodeFieldVector(field, bad)).toThrow(RangeError);
    }
    expect(() => decodeFieldVector(field, new Uint8Array(field.encodedSize + 1))).toThrow(
      RangeError,
    );
  });
});
