/**
 * The Crowdsell icon, drawn procedurally: a rounded square in the popup's brand blue
 * (`--accent` in popup/styles.css) carrying three white bars of rising height — members' data
 * pooled into a growing statistic.
 *
 * The mark is laid out on a 16-unit grid so that at 16, 32 and 48 px (and on the 96 px art box of
 * the 128 px icon) every straight edge falls on a pixel boundary and stays sharp; anti-aliasing
 * (4×4 supersampling) only softens the rounded corners.
 */

export interface RgbaImage {
  width: number;
  height: number;
  /** Row-major, 4 bytes per pixel, straight (not premultiplied) alpha. */
  data: Uint8Array;
}

type Rgb = readonly [number, number, number];

/** `--accent` of popup/styles.css (light theme). */
export const BRAND_BLUE: Rgb = [0x0b, 0x5f, 0xad];
export const MARK_WHITE: Rgb = [0xff, 0xff, 0xff];

/** The sizes both stores and browsers ask for (toolbar 16/32, management page 48, store 128). */
export const ICON_SIZES = [16, 32, 48, 128] as const;

const SUBSAMPLES = 4;

interface RoundedRect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  radius: number;
}

/** On the 16-unit grid, y pointing down. */
const BACKGROUND: RoundedRect = { x0: 0, y0: 0, x1: 16, y1: 16, radius: 3 };
const BAR_RADIUS = 0.5;
const BARS: readonly RoundedRect[] = [
  { x0: 3, y0: 9, x1: 5, y1: 13, radius: BAR_RADIUS },
  { x0: 7, y0: 6, x1: 9, y1: 13, radius: BAR_RADIUS },
  { x0: 11, y0: 3, x1: 13, y1: 13, radius: BAR_RADIUS },
];

/**
 * Transparent margin around the art, in pixels. Chrome's guidance for the 128 px icon is 96×96 art
 * with 16 px of padding per side; the toolbar sizes use the whole square.
 */
export function paddingFor(size: number): number {
  return size >= 128 ? size / 8 : 0;
}

function inside(rect: RoundedRect, x: number, y: number): boolean {
  if (x < rect.x0 || x > rect.x1 || y < rect.y0 || y > rect.y1) return false;
  // Distance past the straight part of the edge, per axis; non-zero only in a corner zone.
  const dx = Math.max(rect.x0 + rect.radius - x, 0, x - (rect.x1 - rect.radius));
  const dy = Math.max(rect.y0 + rect.radius - y, 0, y - (rect.y1 - rect.radius));
  return dx * dx + dy * dy <= rect.radius * rect.radius;
}

/** The colour at a point of the 16-unit grid, or null where the icon is transparent. */
function colourAt(x: number, y: number): Rgb | null {
  if (!inside(BACKGROUND, x, y)) return null;
  return BARS.some((bar) => inside(bar, x, y)) ? MARK_WHITE : BRAND_BLUE;
}

/** Draws the icon at `size`×`size` pixels. */
export function drawIcon(size: number): RgbaImage {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`bad icon size ${String(size)}`);
  const padding = paddingFor(size);
  const unit = (size - 2 * padding) / 16;
  const data = new Uint8Array(size * size * 4);
  const samples = SUBSAMPLES * SUBSAMPLES;

  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      // Premultiplied sums, so an edge between blue and transparent does not darken.
      let r = 0;
      let g = 0;
      let b = 0;
      let covered = 0;
      for (let sy = 0; sy < SUBSAMPLES; sy++) {
        for (let sx = 0; sx < SUBSAMPLES; sx++) {
          const x = (px + (sx + 0.5) / SUBSAMPLES - padding) / unit;
          const y = (py + (sy + 0.5) / SUBSAMPLES - padding) / unit;
          const colour = colourAt(x, y);
          if (!colour) continue;
          r += colour[0];
          g += colour[1];
          b += colour[2];
          covered++;
        }
      }
      const at = (py * size + px) * 4;
      if (covered === 0) continue;
      data[at] = Math.round(r / covered);
      data[at + 1] = Math.round(g / covered);
      data[at + 2] = Math.round(b / covered);
      data[at + 3] = Math.round((255 * covered) / samples);
    }
  }
  return { width: size, height: size, data };
}
