/**
 * `reportBuildMsMedian` of `npm run bench:extension`: one member's DAP upload — shard, sign, seal —
 * built in Chromium with the extension's own code (`bench/report-build-entry.ts`, bundled here
 * with esbuild and served from 127.0.0.1, a secure context for WebCrypto). The task has 20
 * categories (a 60-entry Prio3SumVec at 8 bits, the shape docs/private-aggregation.md measures);
 * the first report (the code's first run) is not counted.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import { Wallet } from 'ethers';

import { encode } from '../aggregator/dap/codec.ts';
import { generateHpkeKeypair } from '../aggregator/dap/hpke.ts';
import { hpkeConfigCodec } from '../aggregator/dap/upload.ts';
import { toBase64Url } from '../extension/protocol/config-aggregation.ts';
import { categoryTask } from '../extension/protocol/dap-task.ts';
import { chromiumPath, quietChromiumArgs } from '../test/e2e/chromium.ts';
import type { BenchInput } from './report-build-entry.ts';

const REPORTS = 41;
const CATEGORIES = 20;

async function bundle(): Promise<string> {
  const out = await build({
    entryPoints: [path.join(import.meta.dirname, 'report-build-entry.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'error',
  });
  return out.outputFiles[0]!.text;
}

async function input(): Promise<BenchInput> {
  const task = categoryTask({
    categories: Array.from({ length: CATEGORIES }, (_, id) => ({ id })),
    privacy: { maxVisits: 50, maxActiveSeconds: 14_400 },
  });
  const [leader, helper] = await Promise.all([generateHpkeKeypair(1), generateHpkeKeypair(2)]);
  const wallet = Wallet.createRandom();
  return {
    task: {
      taskId: toBase64Url(new Uint8Array(32).fill(9)),
      leaderUrl: 'https://leader.invalid/',
      leaderHpkeConfig: toBase64Url(encode(hpkeConfigCodec, leader.config)),
      helperHpkeConfig: toBase64Url(encode(hpkeConfigCodec, helper.config)),
      vdaf: { type: 'Prio3SumVec', ...task.vdaf },
      timePrecisionSeconds: 86_400,
    },
    measurement: Array.from({ length: task.vdaf.length }, (_, i) =>
      i % 3 === 0 ? 1 : (i * 7) % 50,
    ),
    time: 1_764_547_200,
    domain: { name: 'Crowdsell', version: '1', chainId: 31337, verifyingContract: wallet.address },
    privateKey: wallet.privateKey,
    member: wallet.address,
    reports: REPORTS,
  };
}

/** Per-report build times (ms) in Chromium, the first one left out. */
export async function reportBuildTimes(): Promise<number[]> {
  const script = await bundle();
  const server = createServer((req, res) => {
    if (req.url === '/bench.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      return res.end(script);
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><script type="module" src="/bench.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: quietChromiumArgs,
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction(() => 'runReportBuild' in globalThis);
    const times = await page.evaluate(
      (arg) =>
        (
          globalThis as unknown as { runReportBuild: (i: BenchInput) => Promise<number[]> }
        ).runReportBuild(arg),
      await input(),
    );
    return times.slice(1);
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
  }
}
