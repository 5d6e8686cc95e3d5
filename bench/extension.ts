/**
 * `npm run bench:extension`: the extension core's speed and size. The last line of output is one
 * JSON object:
 *   classifyPerSecond           classifier lookups (URL → category) per second
 *   navigationHandlingMs*       the core's handling of one page load (consent gate, classification,
 *                               one IndexedDB transaction via fake-indexeddb, attention update)
 *   serviceWorkerGzBytes        gzipped service worker with every chunk it imports statically, i.e.
 *                               what loads at start (dist/)
 *   dapWorkerGzBytes            the Prio3/HPKE code loaded only when a report is built: Chrome's
 *                               offscreen document, its script and the module worker (Firefox starts
 *                               the same worker from its event page) (dist/)
 *   reportBuildMsMedian         one DAP upload built in Chromium — shard, sign, seal — median of 40
 *                               (bench/report-build-chromium.ts)
 *   popupGzBytes                gzipped popup page with every chunk it loads (dist/)
 * Targets: navigation ≤ 1 ms median, service worker ≤ 150 KB gz, report build ≤ 100 ms,
 * popup ≤ 100 KB gz.
 */
import 'fake-indexeddb/auto';

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import { createCrowdsell } from '../extension/app/crowdsell.ts';
import { buildDomainRules, classifyUrl } from '../extension/classifier/classify.ts';
import {
  categoryId,
  makeConfig,
  signConfig,
  testDeps,
  testSettings,
} from '../extension/testing/fixtures.ts';
import { reportBuildTimes } from './report-build-chromium.ts';

const dist = path.resolve(import.meta.dirname, '../dist');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

function benchClassifier(): number {
  const categories = ['shopping', 'news', 'travel-transportation'].map((key, i) => ({
    id: categoryId(key),
    domains: Array.from({ length: 1000 }, (_, j) => `site${i}-${j}${j % 3 ? '.com' : '.co.uk'}`),
  }));
  const rules = buildDomainRules(categories);
  const urls = Array.from({ length: 1000 }, (_, j) => {
    if (j % 4 === 0) return `https://unknown-site${j}.org/path?q=${j}`;
    if (j % 4 === 1) return `https://www.site${j % 3}-${j}${j % 3 ? '.com' : '.co.uk'}/a`;
    return `https://shop.site${j % 3}-${j}${j % 3 ? '.com' : '.co.uk'}/b/c`;
  });
  for (const url of urls) classifyUrl(url, rules); // warm up
  let lookups = 0;
  const start = performance.now();
  while (performance.now() - start < 1000) {
    for (const url of urls) classifyUrl(url, rules);
    lookups += urls.length;
  }
  return Math.round(lookups / ((performance.now() - start) / 1000));
}

async function benchNavigation(): Promise<{ median: number; p99: number }> {
  const signed = await signConfig(makeConfig());
  const deps = testDeps({
    settings: { ...testSettings, unionUrl: 'http://union.invalid' },
    fetch: (input) =>
      (input instanceof Request ? input.url : input.toString()).endsWith('/v1/config')
        ? Promise.resolve(new Response(JSON.stringify(signed), { status: 200 }))
        : Promise.reject(new Error('offline')),
  });
  const app = createCrowdsell(deps);
  await app.handlers.giveConsent({});
  await app.handlers.setCategory({ id: categoryId('shopping'), enabled: true });
  await app.handlers.setCategory({ id: categoryId('news'), enabled: true });
  // Three of four page loads are counted (a write each); attention changes on every one.
  const pages = [
    'https://crowdsell-shop.com/product/1',
    'https://crowdsell-news.com/today',
    'https://crowdsell-other.com/',
    'https://www.crowdsell-shop.com/basket',
  ];
  const times: number[] = [];
  for (let i = 0; i < 2500; i++) {
    const page = { url: pages[i % pages.length]!, incognito: false };
    const start = performance.now();
    await app.onPageLoaded(page);
    await app.onAttention({ foreground: page });
    if (i >= 500) times.push(performance.now() - start);
  }
  (await app.ready()).db.close();
  times.sort((a, b) => a - b);
  return { median: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

const STATIC_IMPORT = /(?:\bfrom|\bimport)\s*["']([^"']+\.js)["']/g;

function resolveSpec(entry: string, spec: string): string {
  return spec.startsWith('/') ? path.join(dist, spec) : path.resolve(path.dirname(entry), spec);
}

/** Every JS file `entry` loads when it runs (static imports), itself included. */
function moduleClosure(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const code = readFileSync(entry, 'utf8');
  for (const match of code.matchAll(STATIC_IMPORT))
    moduleClosure(resolveSpec(entry, match[1]!), seen);
  return seen;
}

/** The offscreen document (Chrome) that builds DAP reports: its page, script and worker. */
function dapWorkerFiles(): Set<string> {
  const html = path.join(dist, 'background/dap-offscreen/index.html');
  const files = new Set<string>([html]);
  for (const match of readFileSync(html, 'utf8').matchAll(/src="([^"]+\.js)"/g)) {
    for (const f of moduleClosure(resolveSpec(html, match[1]!))) files.add(f);
  }
  for (const file of [...files].filter((f) => f.endsWith('.js'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(/new URL\(\s*["'`]([^"'`]+\.js)/g)) {
      for (const f of moduleClosure(resolveSpec(file, match[1]!))) files.add(f);
    }
  }
  return files;
}

function gzBytes(files: Iterable<string>): number {
  let total = 0;
  for (const file of files) total += gzipSync(readFileSync(file), { level: 9 }).length;
  return total;
}

function bundleSizes(): {
  serviceWorkerGzBytes: number;
  dapWorkerGzBytes: number;
  popupGzBytes: number;
} {
  if (!existsSync(path.join(dist, 'manifest.json'))) {
    throw new Error('dist/ has no built extension: run `npm run build` first.');
  }
  const manifest = JSON.parse(readFileSync(path.join(dist, 'manifest.json'), 'utf8')) as {
    background: { service_worker: string };
    action: { default_popup: string };
  };
  const worker = moduleClosure(path.join(dist, manifest.background.service_worker));
  const popupHtml = path.join(dist, manifest.action.default_popup);
  const html = readFileSync(popupHtml, 'utf8');
  const popupFiles = new Set<string>([popupHtml]);
  for (const match of html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)) {
    const spec = match[1]!;
    const file = spec.startsWith('/')
      ? path.join(dist, spec)
      : path.resolve(path.dirname(popupHtml), spec);
    if (file.endsWith('.css')) popupFiles.add(file);
    else for (const f of moduleClosure(file)) popupFiles.add(f);
  }
  return {
    serviceWorkerGzBytes: gzBytes(worker),
    dapWorkerGzBytes: gzBytes(dapWorkerFiles()),
    popupGzBytes: gzBytes(popupFiles),
  };
}

const classifyPerSecond = benchClassifier();
console.log(`classifier: ${classifyPerSecond.toLocaleString('en')} lookups/s`);
const navigation = await benchNavigation();
console.log(
  `navigation: median ${navigation.median.toFixed(3)} ms, p99 ${navigation.p99.toFixed(3)} ms`,
);
const sizes = bundleSizes();
console.log(
  `bundles: service worker ${sizes.serviceWorkerGzBytes} B gz at start; DAP report builder ${sizes.dapWorkerGzBytes} B gz on demand; popup ${sizes.popupGzBytes} B gz`,
);
const builds = (await reportBuildTimes()).sort((a, b) => a - b);
const reportBuildMsMedian = percentile(builds, 0.5);
console.log(`report build (Chromium): median ${reportBuildMsMedian.toFixed(1)} ms`);
console.log(
  JSON.stringify({
    classifyPerSecond,
    navigationHandlingMsMedian: Number(navigation.median.toFixed(3)),
    navigationHandlingMsP99: Number(navigation.p99.toFixed(3)),
    serviceWorkerGzBytes: sizes.serviceWorkerGzBytes,
    dapWorkerGzBytes: sizes.dapWorkerGzBytes,
    reportBuildMsMedian: Number(reportBuildMsMedian.toFixed(1)),
    popupGzBytes: sizes.popupGzBytes,
  }),
);
