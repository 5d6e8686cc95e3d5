/**
 * The popup's only way to talk to the service worker: one typed call per protocol message.
 * Errors come back as `CrowdsellError` with the router's stable code and sentence.
 */
import browser from 'webextension-polyfill';

import {
  makeRequest,
  type MessageName,
  type ParamsOf,
  type ResponseEnvelope,
  type ResultOf,
} from '../extension/protocol/messages.ts';
import { CrowdsellError } from '../extension/protocol/errors.ts';

export async function call<N extends MessageName>(
  name: N,
  params: ParamsOf<N>,
): Promise<ResultOf<N>> {
  const response = (await browser.runtime.sendMessage(makeRequest(name, params))) as
    ResponseEnvelope<ResultOf<N>> | undefined;
  if (!response) {
    throw new CrowdsellError('NOT_READY', 'Crowdsell’s background service did not answer.');
  }
  if (!response.ok) throw new CrowdsellError(response.error.code, response.error.message);
  return response.result;
}
