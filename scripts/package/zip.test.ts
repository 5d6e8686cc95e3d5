import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';

import { readZip } from './zip-reader.ts';
import { checkEntryName, dosDateTime, writeZip } from './zip-writer.ts';

/** A zip made by Python's zipfile (one deflated, one stored entry, an archive comment). */
const PYTHON_ZIP =
  'UEsDBBQAAAAIAIMYIlBNTp+xMQAAAKIAAAANAAAAbWFuaWZlc3QuanNvbqtWyk3My0xLLS6JL0stKs7Mz1OyUjDWUVDKS8xNBTKVKpSAHISUkqGegVJtNR11AQBQSwMEFAAAAAAAgxgiUIamEDYFAAAABQAAAAwAAABhc3NldHMvYS50eHRoZWxsb1BLAQIUAxQAAAAIAIMYIlBNTp+xMQAAAKIAAAANAAAAAAAAAAAAAACAAQAAAABtYW5pZmVzdC5qc29uUEsBAhQDFAAAAAAAgxgiUIamEDYFAAAABQAAAAwAAAAAAAAAAAAAAIABXAAAAGFzc2V0cy9hLnR4dFBLBQYAAAAAAgACAHUAAACLAAAAFgBtYWRlIGJ5IHB5dGhvbiB6aXBmaWxl';

const text = (data: Uint8Array) => Buffer.from(data).toString('utf8');

describe('writeZip and readZip', () => {
  it('give back every entry byte for byte, in order, deflated or stored', () => {
    const entries = [
      { name: 'manifest.json', data: Buffer.from('{"manifest_version":3}'.repeat(20)) },
      { name: 'assets/empty.txt', data: Buffer.alloc(0) },
      { name: 'assets/random.bin', data: randomBytes(4096) }, // incompressible: stored
      { name: '_locales/en/messages.json', data: Buffer.from('{"x":{"message":"é ü 漢"}}') },
      { name: 'naïve/ファイル.txt', data: Buffer.from('utf-8 names') },
    ];
    const back = readZip(writeZip(entries));
    expect(back.map((entry) => entry.name)).toEqual(entries.map((entry) => entry.name));
    back.forEach((entry, i) => expect(Buffer.compare(entry.data, entries[i]!.data)).toBe(0));
  });

  it('is reproducible: the same entries give the same bytes', () => {
    const entries = [{ name: 'a.js', data: Buffer.from('console.log(1)') }];
    expect(writeZip(entries).equals(writeZip(entries))).toBe(true);
  });

  it('deflates compressible files', () => {
    const data = Buffer.from('a'.repeat(10_000));
    expect(writeZip([{ name: 'a.txt', data }]).length).toBeLessThan(500);
  });

  it('reads an archive written by another tool (Python zipfile, with a comment)', () => {
    const back = readZip(Buffer.from(PYTHON_ZIP, 'base64'));
    expect(back.map((entry) => entry.name)).toEqual(['manifest.json', 'assets/a.txt']);
    expect(text(back[1]!.data)).toBe('hello');
    expect(JSON.parse(text(back[0]!.data).slice(0, 54))).toMatchObject({ manifest_version: 3 });
  });

  it('detects a corrupted entry by its CRC-32', () => {
    const zip = writeZip([{ name: 'a.bin', data: randomBytes(64) }]);
    zip[30 + 'a.bin'.length + 10]! ^= 0xff; // a byte of the stored data
    expect(() => readZip(zip)).toThrow(/CRC-32/);
  });

  it('refuses what is not a zip', () => {
    expect(() => readZip(Buffer.from('not a zip at all, just some text'))).toThrow(/not a ZIP/);
  });

  it('refuses unsafe and duplicate names', () => {
    for (const name of ['', '/etc/passwd', '../up', 'a/../b', 'a\\b', 'a//b']) {
      expect(() => checkEntryName(name), name).toThrow(/unsafe/);
    }
    const entry = { name: 'a', data: Buffer.from('x') };
    expect(() => writeZip([entry, entry])).toThrow(/duplicate/);
  });

  it('uses the standard CRC-32 and DOS timestamps', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
    // 2020-01-02 03:04:06 → time 0x1883, date 0x5022, as in the Python zip above.
    expect(dosDateTime(new Date(Date.UTC(2020, 0, 2, 3, 4, 6)))).toEqual({
      time: 0x1883,
      date: 0x5022,
    });
  });
});
