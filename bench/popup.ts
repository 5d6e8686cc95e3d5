/**
 * `npm run bench:popup`: the popup's first render and size. The last line of output is one JSON
 * object:
 *   firstRenderMsMedian  navigation start → first frame showing the main view (status header,
 *                        tabs and footer), Chromium, median of 12 loads after one warm-up, for a
 *                        member who has consented. The popup paints that view from the status it
 *                        cached on the previous open (popup/lib/status-cache.ts) and refreshes it
 *                        when the service worker answers, so this is what the member sees first.
 *                        Measured by the browser: the first contentful paint, checked to be the
 *                        main view (popup/main.tsx marks whether its first render showed the tab
 *                        list; the page is empty before that), so Playwright's own round trips
 *                        are not counted. It moves with machine load: compare builds on the same
 *                        machine, interleaved.
 *   firefoxFirstRenderMsMedian  the same first contentful paint in Firefox ESR (`dist-firefox/`,
 *                        `npm run build:firefox`), each load in a fresh tab, median of 12 after one
 *                        warm-up (bench/firefox-popup-paint.ts)
 *   popupGzBytes         gzipped popup page with every chunk and stylesheet it loads on open
 *                        (dist/); the Sent, Earnings and Key tabs' chunks, fetched the first time
 *                        their tab is opened, are not counted
 * Targets: ≤ 150 ms first render (Chromium and Firefox), ≤ 100 KB gz.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import { chromium } from '@playwright/test';

import { chromiumPath, quietChromiumArgs } from '../test/e2e/chromium.ts';
import { firefoxFirstRenderTimes } from './firefox-popup-paint.ts';
import { firstRenderProbe, type FirstRender } from './first-render-probe.ts';

const dist = path.resolve(import.meta.dirname, '../dist');
const LOADS = 12;

function popupGzBytes(): number {
  const html = path.join(dist, 'popup/index.html');
  const files = new Set<string>([html]);
  const queue = [
    ...readFileSync(html, 'utf8').matchAll(/(?:src|href)="\/([^"]+\.(?:js|css))"/g),
  ].map((m) => path.join(dist, m[1]!));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    if (!file.endsWith('.js')) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*"(\.\/[^"]+\.js)"/g)) {
      queue.push(path.join(path.dirname(file), m[1]!));
    }
  }
  return [...files].reduce((sum, file) => sum + gzipSync(readFileSync(file)).length, 0);
}

async function firstRenderTimes(): Promise<number[]> {
  const context = await chromium.launchPersistentContext('', {
    executablePath: chromiumPath(),
    channel: 'chromium',
    headless: true,
    args: [...quietChromiumArgs, `--disable-extensions-except=${dist}`, `--load-extension=${dist}`],
  });
  try {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    const popupUrl = `chrome-extension://${new URL(worker.url()).host}/popup/index.html`;
    const page = await context.newPage();
    await page.setViewportSize({ width: 360, height: 560 });
    await page.goto(popupUrl);
    await page.evaluate(() =>
      (
        globalThis as unknown as {
          chrome: { runtime: { sendMessage: (m: unknown) => Promise<unknown> } };
        }
      ).chrome.runtime.sendMessage({ channel: 'crowdsell/v1', name: 'giveConsent', params: {} }),
    );
    const times: number[] = [];
    for (let i = 0; i <= LOADS; i++) {
      await page.goto(popupUrl);
      const handle = await page.waitForFunction(firstRenderProbe);
      const { fcp, mainView } = (await handle.jsonValue()) as FirstRender;
      if (i === 0) continue; // the first load warms the worker and the disk cache
      if (!mainView) throw new Error('The popup’s first render did not show the main view.');
      times.push(fcp);
    }
    return times;
  } finally {
    await context.close();
  }
}

if (!existsSync(path.join(dist, 'manifest.json'))) {
  throw new Error('dist/ has no built extension: run `npm run build` first.');
}
const times = (await firstRenderTimes()).sort((a, b) => a - b);
const medianOf = (sorted: number[]) => sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
const median = medianOf(times);
const firefoxTimes = (await firefoxFirstRenderTimes(LOADS)).sort((a, b) => a - b);
const gz = popupGzBytes();
console.log(`popup first render: ${times.map((t) => t.toFixed(1)).join(', ')} ms`);
console.log(`popup first render, Firefox: ${firefoxTimes.map((t) => t.toFixed(1)).join(', ')} ms`);
console.log(`popup bundle: ${gz} B gz`);
console.log(
  JSON.stringify({
    firstRenderMsMedian: Number(median.toFixed(1)),
    firefoxFirstRenderMsMedian: Number(medianOf(firefoxTimes).toFixed(1)),
    popupGzBytes: gz,
  }),
);
