import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { drawIcon, ICON_SIZES, type RgbaImage } from './draw.ts';
import { encodePng } from './png.ts';
import { readPng } from './png-read.ts';

const root = join(import.meta.dirname, '..', '..');

function alphaAt(image: RgbaImage, x: number, y: number): number | undefined {
  return image.data[(y * image.width + x) * 4 + 3];
}

describe('encodePng', () => {
  it('writes a PNG that decodes back to the same pixels', () => {
    const image = { width: 3, height: 2, data: Uint8Array.from({ length: 24 }, (_, i) => i * 10) };
    const decoded = readPng(encodePng(image));
    expect(decoded.width).toBe(3);
    expect(decoded.height).toBe(2);
    expect([...decoded.data]).toEqual([...image.data]);
  });

  it('starts with the PNG signature and an IHDR for 8-bit RGBA', () => {
    const png = Buffer.from(encodePng(drawIcon(16)));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.toString('latin1', 12, 16)).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20), png[24], png[25]]).toEqual([16, 16, 8, 6]);
  });

  it('is detected as corrupt when a byte changes (chunk CRC-32)', () => {
    const png = Buffer.from(encodePng(drawIcon(16)));
    png[20] = 0xff; // inside IHDR's height
    expect(() => readPng(png)).toThrow(/CRC/);
  });

  it('is detected as corrupt when stray bytes sit between chunks', () => {
    const png = Buffer.from(encodePng(drawIcon(16)));
    const afterIhdr = 8 + 12 + 13;
    const padded = Buffer.concat([
      png.subarray(0, afterIhdr),
      Buffer.alloc(4),
      png.subarray(afterIhdr),
    ]);
    expect(() => readPng(padded)).toThrow();
  });

  it('refuses pixel data of the wrong length', () => {
    expect(() => encodePng({ width: 2, height: 2, data: new Uint8Array(15) })).toThrow(RangeError);
  });
});

describe('icons/ (committed, from npx tsx scripts/make-icons.ts)', () => {
  it.each(ICON_SIZES)(
    'icon-%i.png decodes to the drawn icon: right size, corner clear, centre opaque',
    (size) => {
      const decoded = readPng(readFileSync(join(root, 'icons', `icon-${String(size)}.png`)));
      expect([decoded.width, decoded.height]).toEqual([size, size]);
      expect(alphaAt(decoded, 0, 0)).toBe(0);
      expect(alphaAt(decoded, size / 2, size / 2)).toBe(255);
      // Regenerate with make-icons if the drawing changes; compared as pixels, not zlib bytes.
      expect(Buffer.from(decoded.data).equals(Buffer.from(drawIcon(size).data))).toBe(true);
    },
  );
});
