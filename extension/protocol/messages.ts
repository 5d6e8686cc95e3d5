/**
 * The one typed message protocol between extension pages (popup, onboarding) and the service
 * worker. Every message is declared here once, with zod schemas for its params and result; the
 * router in `background/` checks its handlers against this map (`satisfies`) and validates params
 * on receipt, and the popup's client is typed from it.
 *
 * Rule: no message type may ever carry a private key. Backups travel only as password-encrypted
 * keystore JSON.
 */
import { z } from 'zod';

import type { ErrorPayload } from './errors.ts';

const noParams = z.object({}).strict();

export const protocol = {
  status: {
    params: noParams,
    result: z.object({
      version: z.string(),
      ready: z.boolean(),
    }),
  },
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;

export type Protocol = typeof protocol;
export type MessageName = keyof Protocol;
export type ParamsOf<N extends MessageName> = z.input<Protocol[N]['params']>;
export type ResultOf<N extends MessageName> = z.output<Protocol[N]['result']>;

/** What a page sends. `channel` keeps our messages apart from anything else on the runtime. */
export const requestEnvelope = z.object({
  channel: z.literal('crowdsell/v1'),
  name: z.string().min(1).max(64),
  params: z.unknown(),
});
export type RequestEnvelope = z.infer<typeof requestEnvelope>;

export type ResponseEnvelope<R = unknown> =
  { ok: true; result: R } | { ok: false; error: ErrorPayload };

export function isMessageName(name: string): name is MessageName {
  return Object.hasOwn(protocol, name);
}

export function makeRequest<N extends MessageName>(name: N, params: ParamsOf<N>): RequestEnvelope {
  return { channel: 'crowdsell/v1', name, params };
}
