/**
 * Helpers for e2e tests of the core: send protocol messages from an extension page exactly as the
 * popup does, call the test-only hooks of the `dist-e2e/` build, serve local pages under mapped
 * host names, and stop the service worker through the DevTools protocol.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Page } from '@playwright/test';

import type { MessageName, ParamsOf, ResultOf } from '../../extension/protocol/messages.ts';

/** The union the `dist-e2e/` build talks to (see the `build:e2e` script). */
export const E2E_UNION_PORT = 18_787;

/** Host names the test pages are served under; Chromium maps them to 127.0.0.1. */
export const testHosts = [
  'crowdsell-shop.com',
  'www.crowdsell-shop.com',
  'crowdsell-news.com',
  'crowdsell-other.com',
];
/** Chromium flags that map `hosts` to 127.0.0.1 and keep plain-http test pages plain. */
export function hostResolverArgsFor(hosts: readonly string[]): string[] {
  return [
    `--host-resolver-rules=${hosts.map((h) => `MAP ${h} 127.0.0.1`).join(', ')}`,
    // No automatic https upgrade attempts.
    '--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable',
  ];
}
export const hostResolverArgs = hostResolverArgsFor(testHosts);

interface Envelope {
  ok: boolean;
  result?: unknown;
  error?: { code: string; message: string };
}

async function sendFromPage(page: Page, message: unknown): Promise<Envelope> {
  return page.evaluate(async (msg) => {
    const runtime = (
      globalThis as unknown as {
        chrome: { runtime: { sendMessage: (m: unknown) => Promise<unknown> } };
      }
    ).chrome.runtime;
    return (await runtime.sendMessage(msg)) as Envelope;
  }, message);
}

/** One protocol call, with the envelope the popup's client uses. */
export async function call<N extends MessageName>(
  page: Page,
  name: N,
  params: ParamsOf<N>,
): Promise<ResultOf<N>> {
  const answer = await sendFromPage(page, { channel: 'crowdsell/v1', name, params });
  if (!answer.ok) throw new Error(`${name}: ${answer.error?.code} ${answer.error?.message}`);
  return answer.result as ResultOf<N>;
}

/** A test-only hook (present in `dist-e2e/` only). */
export async function hook(page: Page, name: string, params: unknown = {}): Promise<unknown> {
  const answer = await sendFromPage(page, { channel: 'crowdsell-test/v1', name, params });
  if (!answer.ok) throw new Error(`hook ${name}: ${answer.error?.message}`);
  return answer.result;
}

export interface PageServer {
  port: number;
  url: (host: string, path?: string) => string;
  close: () => Promise<void>;
}

/** Serves a small HTML page for any host and path. */
export async function startPageServer(): Promise<PageServer> {
  const server: Server = createServer((req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><title>${req.headers.host ?? ''}</title><p>${req.url ?? ''}</p>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (host, path = '/') => `http://${host}:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Stops every service worker of the profile, as Chrome does after 30 s idle. */
export async function stopServiceWorkers(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await cdp.detach();
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
