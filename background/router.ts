/**
 * The message router: validates who is talking and what they sent, waits for initialisation,
 * dispatches to a handler typed against the protocol map, and answers with a response envelope.
 * It never throws to the caller; every failure becomes `{ ok: false, error: { code, message } }`.
 */
import {
  isMessageName,
  protocol,
  requestEnvelope,
  type Handlers,
  type ResponseEnvelope,
} from '../extension/protocol/messages.ts';
import { CrowdsellError, toErrorPayload } from '../extension/protocol/errors.ts';

export type { Handlers };

/** The parts of `runtime.MessageSender` the router looks at. */
export interface SenderInfo {
  id?: string | undefined;
  url?: string | undefined;
  tab?: unknown;
}

export interface RouterOptions {
  /** This extension's id (`runtime.id`). */
  extensionId: string;
  /** This extension's origin, e.g. `chrome-extension://<id>/` (`runtime.getURL('')`). */
  extensionOrigin: string;
  /** Resolves once storage is open and state is loaded; handlers run only after it. */
  ready: Promise<unknown> | (() => Promise<unknown>);
}

/**
 * Only this extension's own pages may talk to the service worker: the sender id must be ours and
 * the sender URL must be one of our pages (this rules out content scripts and other extensions).
 */
export function isTrustedSender(sender: SenderInfo, options: RouterOptions): boolean {
  if (sender.id !== options.extensionId) return false;
  if (typeof sender.url !== 'string') return false;
  return sender.url.startsWith(options.extensionOrigin);
}

export function createRouter(handlers: Handlers, options: RouterOptions) {
  return async function route(message: unknown, sender: SenderInfo): Promise<ResponseEnvelope> {
    try {
      if (!isTrustedSender(sender, options)) {
        throw new CrowdsellError(
          'FORBIDDEN_SENDER',
          'Only Crowdsell’s own pages may send messages to its service worker.',
        );
      }
      const envelope = requestEnvelope.safeParse(message);
      if (!envelope.success) {
        throw new CrowdsellError('BAD_REQUEST', 'The message is not a Crowdsell request.');
      }
      const { name, params } = envelope.data;
      if (!isMessageName(name)) {
        throw new CrowdsellError('UNKNOWN_MESSAGE', `There is no message called “${name}”.`);
      }
      const parsed = protocol[name].params.safeParse(params ?? {});
      if (!parsed.success) {
        throw new CrowdsellError(
          'INVALID_PARAMS',
          `The parameters of “${name}” are invalid: ${parsed.error.issues[0]?.message ?? 'unknown problem'}.`,
        );
      }
      await (typeof options.ready === 'function' ? options.ready() : options.ready);
      const handler = handlers[name] as (p: unknown) => Promise<unknown>;
      const result: unknown = await handler(parsed.data);
      return { ok: true, result };
    } catch (error) {
      return { ok: false, error: toErrorPayload(error) };
    }
  };
}
