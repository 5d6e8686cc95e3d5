/**
 * Protocol calls and test hooks sent from an add-on page in Firefox (puppeteer-core), with the
 * envelope the popup's client uses; the `crowdsell-test/v1` hooks exist in `dist-firefox-e2e/` only.
 */
import type { Page } from 'puppeteer-core';

import type { MessageName, ParamsOf, ResultOf } from '../../extension/protocol/messages.ts';

interface Envelope {
  ok: boolean;
  result?: unknown;
  error?: { code: string; message: string };
}

type Runtime = { browser: { runtime: { sendMessage: (m: unknown) => Promise<unknown> } } };

async function send(page: Page, channel: string, name: string, params: unknown): Promise<unknown> {
  const answer = (await page.evaluate(
    (message) => (globalThis as unknown as Runtime).browser.runtime.sendMessage(message),
    { channel, name, params },
  )) as Envelope;
  if (!answer.ok) throw new Error(`${name}: ${answer.error?.code} ${answer.error?.message}`);
  return answer.result;
}

export async function call<N extends MessageName>(
  page: Page,
  name: N,
  params: ParamsOf<N>,
): Promise<ResultOf<N>> {
  return (await send(page, 'crowdsell/v1', name, params)) as ResultOf<N>;
}

export function hook(page: Page, name: string, params: object = {}): Promise<unknown> {
  return send(page, 'crowdsell-test/v1', name, params);
}

/** Visits counted for `categoryId` in the open (not yet closed) epochs. */
export async function openVisits(page: Page, categoryId: number): Promise<number> {
  const open = (await hook(page, 'openTallies')) as {
    tallies: Record<string, { visits: number }>;
  }[];
  return open.reduce((sum, e) => sum + (e.tallies[String(categoryId)]?.visits ?? 0), 0);
}
