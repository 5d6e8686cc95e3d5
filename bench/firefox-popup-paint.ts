/**
 * The popup's first contentful paint in a real Firefox (`firefox-esr`, the `dist-firefox/` build
 * from `npm run build:firefox`), for `npm run bench:popup`: each load opens the popup page in a
 * fresh tab, as the toolbar button does, for a member who has consented; the first load warms the
 * event page and the disk cache and is not counted. Measured by the browser (Paint Timing), and
 * checked to be the main view like the Chromium figure.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

import { launchFirefox, openAddonPage } from '../test/firefox-e2e/firefox.ts';
import { firstRenderProbe, type FirstRender } from './first-render-probe.ts';

const distFirefox = path.resolve(import.meta.dirname, '../dist-firefox');

export async function firefoxFirstRenderTimes(loads: number): Promise<number[]> {
  if (!existsSync(path.join(distFirefox, 'manifest.json'))) {
    throw new Error('dist-firefox/ has no built extension: run `npm run build:firefox` first.');
  }
  const browser = await launchFirefox(distFirefox);
  try {
    const setup = await openAddonPage(browser, 'popup/index.html');
    await setup.evaluate(() =>
      (
        globalThis as unknown as {
          browser: { runtime: { sendMessage: (m: unknown) => Promise<unknown> } };
        }
      ).browser.runtime.sendMessage({ channel: 'crowdsell/v1', name: 'giveConsent', params: {} }),
    );
    await setup.close();
    const times: number[] = [];
    for (let i = 0; i <= loads; i++) {
      const page = await openAddonPage(browser, 'popup/index.html');
      const handle = await page.waitForFunction(firstRenderProbe);
      const { fcp, mainView } = (await handle.jsonValue()) as FirstRender;
      await page.close();
      if (i === 0) continue;
      if (!mainView)
        throw new Error('The Firefox popup’s first render did not show the main view.');
      times.push(fcp);
    }
    return times;
  } finally {
    await browser.close();
  }
}
