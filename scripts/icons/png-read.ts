/**
 * Reads back what `encodePng` writes (8-bit RGBA, filter "None"), checking every chunk's CRC —
 * enough for the tests to prove the icons decode, without a PNG library.
 */
import { crc32, inflateSync } from 'node:zlib';

import type { RgbaImage } from './draw.ts';
import { PNG_SIGNATURE } from './png.ts';

export function readPng(file: Uint8Array): RgbaImage {
  const png = Buffer.from(file);
  if (!png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG signature');
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  let at = 8;
  let ended = false;
  while (!ended) {
    if (at + 12 > png.length) throw new Error('PNG ends without IEND');
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    if (!/^[A-Za-z]{4}$/.test(type)) throw new Error(`bad chunk type at byte ${String(at)}`);
    if (at + 12 + length > png.length) throw new Error(`${type}: chunk runs past the end`);
    const body = png.subarray(at + 8, at + 8 + length);
    if (crc32(png.subarray(at + 4, at + 8 + length)) !== png.readUInt32BE(at + 8 + length)) {
      throw new Error(`${type}: CRC mismatch`);
    }
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const format = [...body.subarray(8, 13)].join(',');
      if (format !== '8,6,0,0,0') throw new Error(`unsupported IHDR format ${format}`);
    } else if (type === 'IDAT') {
      idat.push(body);
    } else if (type === 'IEND') {
      ended = true;
    } else if (/^[A-Z]/.test(type)) {
      throw new Error(`unexpected critical chunk ${type}`);
    }
    at += 12 + length;
  }
  if (at !== png.length) throw new Error('bytes after IEND');
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  if (raw.length !== (stride + 1) * height) throw new Error('IDAT size does not match IHDR');
  const data = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1);
    if (raw[row] !== 0) throw new Error(`row ${String(y)}: filter ${String(raw[row])} unsupported`);
    data.set(raw.subarray(row + 1, row + 1 + stride), y * stride);
  }
  return { width, height, data };
}
