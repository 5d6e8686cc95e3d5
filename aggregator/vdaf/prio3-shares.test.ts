import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testTask } from '../test-support/categories.ts';
import { decodeFieldVector, expandIntoVec } from './prio3-shares.ts';
import { sumVecFor } from './task.ts';

const vdaf = sumVecFor(testTask([1, 2, 3]));
const { field } = vdaf.flp;

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

describe('expandIntoVec', () => {
  const dst = vdaf.domainSeparationTag(1);
  type LibraryField = Parameters<typeof vdaf.xof.expandIntoVec>[0];

  it("gives the library's expansion of a seed into the task's field, for any length", async () => {
    for (let i = 0; i < 20; i++) {
      const seed = new Uint8Array(randomBytes(vdaf.xof.seedSize));
      const binder = Uint8Array.of(i % 3, 1);
      for (const length of [1, 7, vdaf.flp.measurementLen, vdaf.flp.proofLen]) {
        expect(await expandIntoVec(vdaf.xof, field, seed, dst, binder, length)).toEqual(
          await vdaf.xof.expandIntoVec(field, seed, dst, binder, length),
        );
      }
    }
  });

  it('skips the candidates the library skips (a modulus just above 2^63: about half are skipped)', async () => {
    const sparse = { encodedSize: 8, modulus: 2n ** 63n + 1n };
    for (let i = 0; i < 20; i++) {
      const seed = new Uint8Array(randomBytes(vdaf.xof.seedSize));
      const ours = await expandIntoVec(vdaf.xof, sparse, seed, dst, Uint8Array.of(i), 50);
      const library = await vdaf.xof.expandIntoVec(
        sparse as unknown as LibraryField,
        seed,
        dst,
        Uint8Array.of(i),
        50,
      );
      expect(ours).toEqual(library);
      expect(ours.every((x) => x < sparse.modulus)).toBe(true);
    }
  });
});
