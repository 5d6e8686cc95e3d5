/**
 * The one typed message protocol between extension pages (popup, onboarding) and the service
 * worker. Every message is declared here once, with zod schemas for its params and result; the
 * router in `background/` checks its handlers against this map (`satisfies Handlers`) and validates
 * params on receipt, and the popup's client is typed from it.
 *
 * Rule: no message type may ever carry a private key. Backups travel only as password-encrypted
 * keystore JSON. This module must stay free of ethers (the popup bundles it).
 */
import { z } from 'zod';

import type { ErrorPayload } from './errors.ts';
import {
  amount,
  categoryView,
  configView,
  earningsView,
  exclusionView,
  joinView,
  outboxItemView,
  requestLogEntryView,
  pauseView,
  sentEntryView,
  withdrawalView,
} from './message-views.ts';
import { budgetView, privacyChangeView } from './privacy-views.ts';

const noParams = z.strictObject({});
const done = z.strictObject({ done: z.literal(true) });
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);

export const protocol = {
  /** Everything the popup's main view shows at a glance. */
  status: {
    params: noParams,
    result: z.object({
      version: z.string(),
      ready: z.boolean(),
      address: address.nullable(),
      consentGivenAt: z.number().nullable(),
      paused: pauseView.nullable(),
      /** True when a visit to an enabled category would be counted right now. */
      recording: z.boolean(),
      enabledCategories: z.number().int(),
      join: joinView,
      config: configView,
      openEpoch: z.object({ epochStart: z.number(), endsAt: z.number() }).nullable(),
      outbox: z.object({ pending: z.number().int(), nextAttemptAt: z.number().nullable() }),
    }),
  },

  // ---- onboarding & consent --------------------------------------------------------------------
  giveConsent: { params: noParams, result: z.object({ givenAt: z.number() }) },
  /** Stops recording, switches every category off, drops counts and reports not yet sent. */
  withdrawConsent: { params: noParams, result: done },

  // ---- joining the union -----------------------------------------------------------------------
  joinState: { params: noParams, result: joinView },
  /** Signs a JoinRequest and posts it; `secret` overrides the app secret the build carries. */
  join: {
    params: z.strictObject({ secret: z.string().min(1).max(200).optional() }),
    result: joinView,
  },
  /** Asks the union for this member's current status (e.g. after "waiting for approval"). */
  refreshJoin: { params: noParams, result: joinView },
  /** Stops contributing; earned tokens stay withdrawable. */
  leave: { params: noParams, result: joinView },

  // ---- categories ------------------------------------------------------------------------------
  listCategories: {
    params: noParams,
    result: z.object({
      configVersion: z.number().nullable(),
      categories: z.array(categoryView),
      /**
       * When every category was switched off because Firefox's `browsingActivity` permission was
       * withdrawn; null once the member switches a category on again.
       */
      dataCollectionRevokedAt: z.number().nullable(),
      /** A privacy change the member has not confirmed: its categories record nothing. */
      privacyChange: privacyChangeView.nullable(),
    }),
  },
  /** Confirms the privacy change shown (up to config `version`): held categories record again. */
  confirmPrivacyChange: {
    params: z.strictObject({
      version: z
        .number()
        .int()
        .min(1)
        .max(2 ** 32 - 1),
    }),
    result: done,
  },
  /** The privacy budget spent and left (last 24 hours, 30 days) and the build's limits. */
  privacyBudget: { params: noParams, result: budgetView },
  setCategory: {
    params: z.strictObject({ id: z.number().int().min(0).max(65_535), enabled: z.boolean() }),
    result: categoryView,
  },
  acknowledgeNewCategories: { params: noParams, result: done },

  // ---- pause -----------------------------------------------------------------------------------
  pause: {
    params: z.strictObject({
      choice: z.enum(['hour', 'tomorrow', 'indefinitely']),
      /** `Date#getTimezoneOffset()` of the page, for "tomorrow" (local midnight). */
      timezoneOffsetMinutes: z.number().int().min(-900).max(900).optional(),
    }),
    result: pauseView,
  },
  resume: { params: noParams, result: done },

  // ---- per-site exclusions (never leave the device) --------------------------------------------
  listExclusions: { params: noParams, result: z.object({ sites: z.array(exclusionView) }) },
  addExclusion: {
    params: z.strictObject({ site: z.string().min(1).max(2048) }),
    result: exclusionView,
  },
  removeExclusion: { params: z.strictObject({ site: z.string().min(1).max(253) }), result: done },

  // ---- what was sent ---------------------------------------------------------------------------
  sentLog: {
    params: z.strictObject({ limit: z.number().int().min(1).max(1000).optional() }),
    result: z.object({ entries: z.array(sentEntryView) }),
  },
  outboxStatus: { params: noParams, result: z.object({ pending: z.array(outboxItemView) }) },
  /** Every request made to the union, newest first: method, path, time, exact body, answer. */
  requestLog: {
    params: z.strictObject({ limit: z.number().int().min(1).max(1000).optional() }),
    result: z.object({ entries: z.array(requestLogEntryView) }),
  },
  /**
   * Withholds a report waiting for its send time: deleted, never sent, nothing earned for its
   * epoch; the sent log records it as withheld. Refused once its first attempt was made.
   */
  withholdReport: {
    params: z.strictObject({ epochStart: z.number().int().min(0) }),
    result: done,
  },

  // ---- remote config ---------------------------------------------------------------------------
  refreshConfig: { params: noParams, result: configView },

  // ---- key -------------------------------------------------------------------------------------
  keyAddress: { params: noParams, result: z.object({ address }) },
  /** An encrypted keystore JSON (scrypt), as a string to save as a file. */
  exportBackup: {
    params: z.strictObject({ password: z.string().min(1).max(1024) }),
    result: z.object({ address, keystore: z.string() }),
  },
  /** Restores a keystore backup; the member's identity becomes the backup's address. */
  importBackup: {
    params: z.strictObject({
      keystore: z.string().min(2).max(100_000),
      password: z.string().min(1).max(1024),
    }),
    result: z.object({ address, previousAddress: address.nullable() }),
  },
  /** Deletes every local record, the key included (back it up first). */
  deleteAllData: { params: z.strictObject({ confirm: z.literal(true) }), result: done },

  // ---- earnings and withdrawal (union revenue share) --------------------------------------------
  earnings: { params: noParams, result: earningsView },
  /**
   * Signs a `WithdrawAll` of everything withdrawable to `recipient` (in the service worker, with
   * the member key) and hands it to the union's relay. `shownAmount` is the withdrawable amount
   * the popup showed: the signed minimum payout is never below it.
   */
  withdraw: {
    params: z.strictObject({ recipient: z.string().min(1).max(100), shownAmount: amount }),
    result: withdrawalView,
  },
  withdrawalStatus: {
    params: z.strictObject({ id: z.string().min(1).max(100) }),
    result: withdrawalView,
  },
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;

export type Protocol = typeof protocol;
export type MessageName = keyof Protocol;
export type ParamsOf<N extends MessageName> = z.input<Protocol[N]['params']>;
export type ResultOf<N extends MessageName> = z.output<Protocol[N]['result']>;
/** What a handler receives: params after validation (defaults applied). */
export type ParsedParamsOf<N extends MessageName> = z.output<Protocol[N]['params']>;

/** One handler per message, typed against the map (the router checks with `satisfies`). */
export type Handlers = {
  [N in MessageName]: (params: ParsedParamsOf<N>) => Promise<ResultOf<N>>;
};

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
