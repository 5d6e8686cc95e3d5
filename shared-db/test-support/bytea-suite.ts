/**
 * `bytea` through a driver, byte for byte: every byte value, also from a view into a larger
 * buffer, a Node `Buffer` and an empty array, written as a parameter, checked on the server
 * (`encode(…, 'hex')`, `length`) independently of the driver's parser, then read back — in and
 * outside a transaction, and as a `bytea[]` element. Shared by the PGlite and PostgreSQL tests.
 */
import { Buffer } from 'node:buffer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Db, Queryable } from '../db.ts';

const every = Uint8Array.from({ length: 256 }, (_, i) => i);

function viewOfEvery(): Uint8Array {
  const larger = new Uint8Array(300).fill(0xee);
  larger.set(every, 7);
  return larger.subarray(7, 7 + every.length);
}

const inputs: [string, Uint8Array][] = [
  ['every byte value', every],
  ['a view into a larger buffer', viewOfEvery()],
  ['a Node Buffer', Buffer.from(every)],
  ['an empty array', new Uint8Array(0)],
];

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

async function writeAndCheck(q: Queryable, name: string, value: Uint8Array): Promise<void> {
  await q.query('INSERT INTO blobs (name, b) VALUES ($1, $2)', [name, value]);
  const { rows } = await q.query<{ b: Uint8Array; server_hex: string; n: number }>(
    `SELECT b, encode(b, 'hex') AS server_hex, length(b) AS n FROM blobs WHERE name = $1`,
    [name],
  );
  expect(rows).toHaveLength(1);
  const [row] = rows;
  expect(row?.n).toBe(value.length);
  expect(row?.server_hex).toBe(hex(value));
  expect(row?.b).toBeInstanceOf(Uint8Array);
  expect(hex(row?.b ?? new Uint8Array())).toBe(hex(value));
}

export function byteaSuite(driver: string, open: () => Promise<Db>): void {
  describe(`bytea through the ${driver} driver`, () => {
    let db: Db;
    beforeAll(async () => {
      db = await open();
      await db.exec('CREATE TABLE blobs (name text PRIMARY KEY, b bytea NOT NULL)');
    });
    afterAll(() => db?.close());

    it.each(inputs)('stores %s byte for byte and reads it back', (name, value) =>
      writeAndCheck(db, name, value),
    );

    it.each(inputs)('does the same inside a transaction: %s', (name, value) =>
      db.transaction((tx) => writeAndCheck(tx, `in a transaction: ${name}`, value)),
    );

    it('compares a bytea parameter with stored bytes in SQL', async () => {
      await db.query('INSERT INTO blobs (name, b) VALUES ($1, $2)', ['compared', every]);
      const { rows } = await db.query<{ same: boolean }>(
        'SELECT b = $2 AS same FROM blobs WHERE name = $1',
        ['compared', viewOfEvery()],
      );
      expect(rows).toEqual([{ same: true }]);
    });

    it('reads bytea[] elements byte for byte', async () => {
      const { rows } = await db.query<{ pair: Uint8Array[] }>(
        'SELECT ARRAY[$1::bytea, $2::bytea] AS pair',
        [every, Uint8Array.of(0, 0x5c, 0x22, 0x7b, 0x2c)],
      );
      expect(rows[0]?.pair.map(hex)).toEqual([hex(every), '005c227b2c']);
    });
  });
}
