/**
 * `npx tsx scripts/make-icons.ts`: draws the extension icon (scripts/icons/draw.ts) at every size
 * the manifest names and writes icons/icon-<size>.png. The PNGs are committed; rerun this after
 * changing the drawing (scripts/icons/png.test.ts fails until the files match it again).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { drawIcon, ICON_SIZES } from './icons/draw.ts';
import { encodePng } from './icons/png.ts';

const outDir = join(import.meta.dirname, '..', 'icons');
mkdirSync(outDir, { recursive: true });
for (const size of ICON_SIZES) {
  const png = encodePng(drawIcon(size));
  const path = join(outDir, `icon-${String(size)}.png`);
  writeFileSync(path, png);
  console.log(`icons/icon-${String(size)}.png  ${String(png.length)} bytes`);
}
