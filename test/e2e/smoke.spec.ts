import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { expect, test } from './fixtures.ts';

test('the popup shows the status answered by the service worker', async ({ openExtensionPage }) => {
  const popup = await openExtensionPage('popup/index.html');
  await expect(popup.getByTestId('status')).toHaveText(/Version 0\.1\.0 · ready/);
});

test('the extension id is stable because the manifest carries a key', ({ extensionId }) => {
  expect(extensionId).toBe('mkmlalidlpmohlmcbeindcofjgoingdd');
});

test('a web page cannot message the service worker', async ({ context, extensionId }) => {
  const server: Server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end('<!doctype html><title>foreign</title><p>foreign page</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    const outcome = await page.evaluate(async (id) => {
      const runtime = (globalThis as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome
        ?.runtime;
      if (!runtime || typeof runtime.sendMessage !== 'function') return 'no-runtime';
      try {
        const send = runtime.sendMessage as (id: string, msg: unknown) => Promise<unknown>;
        const answer = await send(id, { channel: 'crowdsell/v1', name: 'status', params: {} });
        return JSON.stringify(answer ?? 'no-answer');
      } catch (error) {
        return `rejected: ${String(error)}`;
      }
    }, extensionId);
    // Either the page gets no runtime at all or the send is refused: never a status answer.
    expect(outcome).not.toContain('"ok":true');
    expect(outcome === 'no-runtime' || outcome.startsWith('rejected')).toBe(true);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
