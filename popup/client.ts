/**
 * The popup's only way to talk to the service worker: one typed call per protocol message.
 * Errors come back as `CrowdsellError` with the router's stable code and sentence.
 *
 * Only types come from the protocol module: its zod schemas are for the receiving end (the
 * service worker validates every request), and importing them here would put zod in the popup's
 * first chunk. `satisfies RequestEnvelope` keeps the envelope in step with the protocol.
 */

import type {
  MessageName,
  ParamsOf,
  RequestEnvelope,
  ResponseEnvelope,
  ResultOf,
} from '../extension/protocol/messages.ts';
import { CrowdsellError } from '../extension/protocol/errors.ts';
import { browser } from './lib/browser-api.ts';

export async function call<N extends MessageName>(
  name: N,
  params: ParamsOf<N>,
): Promise<ResultOf<N>> {
  const request = { channel: 'crowdsell/v1', name, params } satisfies RequestEnvelope;
  const response = (await browser.runtime.sendMessage(request)) as
    ResponseEnvelope<ResultOf<N>> | undefined;
  if (!response) {
    throw new CrowdsellError('NOT_READY', 'Crowdsell’s background service did not answer.');
  }
  if (!response.ok) throw new CrowdsellError(response.error.code, response.error.message);
  return response.result;
}
