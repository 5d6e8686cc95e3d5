import { describe, expect, it } from 'vitest';

import {
  BRAND_BLUE,
  drawIcon,
  ICON_SIZES,
  MARK_WHITE,
  paddingFor,
  type RgbaImage,
} from './draw.ts';

function pixel(image: RgbaImage, x: number, y: number): number[] {
  const at = (y * image.width + x) * 4;
  return [...image.data.subarray(at, at + 4)];
}

describe('drawIcon', () => {
  it.each(ICON_SIZES)('draws a %i px square image', (size) => {
    const image = drawIcon(size);
    expect([image.width, image.height, image.data.length]).toEqual([size, size, size * size * 4]);
  });

  it.each(ICON_SIZES)('leaves the corners transparent at %i px (rounded square)', (size) => {
    const image = drawIcon(size);
    for (const [x, y] of [
      [0, 0],
      [size - 1, 0],
      [0, size - 1],
      [size - 1, size - 1],
    ] as const) {
      expect(pixel(image, x, y)[3], `${String(x)},${String(y)}`).toBe(0);
    }
  });

  it('draws the middle bar opaque white and the field opaque brand blue at 16 px', () => {
    const image = drawIcon(16);
    expect(pixel(image, 8, 8)).toEqual([...MARK_WHITE, 255]);
    expect(pixel(image, 1, 8)).toEqual([...BRAND_BLUE, 255]);
    expect(pixel(image, 6, 8)).toEqual([...BRAND_BLUE, 255]); // the gap between two bars
  });

  it('keeps straight edges sharp: bar edges fall on pixel boundaries at every size', () => {
    for (const size of ICON_SIZES) {
      const image = drawIcon(size);
      const unit = (size - 2 * paddingFor(size)) / 16;
      const row = Math.floor(paddingFor(size) + 11 * unit); // below every bar top
      const values = new Set<string>();
      for (let x = 0; x < size; x++) values.add(pixel(image, x, row).join(','));
      // Transparent padding (128 only), blue and white: no half-covered bar columns.
      expect(
        [...values].every((value) => /^(0,0,0,0|11,95,173,255|255,255,255,255)$/.test(value)),
      ).toBe(true);
    }
  });

  it('anti-aliases the rounded corners with partial alpha but keeps the colour blue', () => {
    const image = drawIcon(48);
    const partial = [];
    for (let x = 0; x < 48; x++) {
      const [r, g, b, a] = pixel(image, x, 1);
      if (a !== undefined && a > 0 && a < 255) partial.push([r, g, b]);
    }
    expect(partial.length).toBeGreaterThan(0);
    for (const colour of partial) expect(colour).toEqual([...BRAND_BLUE]);
  });

  it('refuses a size that is not a positive integer', () => {
    expect(() => drawIcon(0)).toThrow(RangeError);
    expect(() => drawIcon(12.5)).toThrow(RangeError);
  });
});
