/**
 * The shapes the service worker answers with (views of stored state), shared by the protocol map
 * and the handlers that build them. Plain data only; never key material, never a visited URL.
 */
import { z } from 'zod';

export const errorView = z.object({ code: z.string(), message: z.string() });

export const joinStatus = z.enum([
  'not-joined',
  'pending',
  'active',
  'left',
  'removed',
  'rejected',
]);

export const joinView = z.object({
  member: z.string(),
  status: joinStatus,
  requestedAt: z.number().nullable(),
  checkedAt: z.number().nullable(),
  lastError: errorView.nullable(),
});

export const configView = z.object({
  version: z.number().nullable(),
  epochSeconds: z.number().nullable(),
  acceptedAt: z.number().nullable(),
  lastFetchAt: z.number().nullable(),
  lastError: errorView.extend({ at: z.number() }).nullable(),
  /** The signed config's DAP task as the popup explains it; null: plain reports. */
  aggregation: z
    .object({
      leaderUrl: z.string(),
      helperUrl: z.string(),
      centralEpsilon: z.number(),
      minBatchSize: z.number(),
      /** The local ε the device adds, or null when local noise is off. */
      localEpsilon: z.number().nullable(),
    })
    .nullable()
    .optional(),
});

export const pauseView = z.object({ since: z.number(), until: z.number().nullable() });

export const categoryView = z.object({
  id: z.number(),
  key: z.string(),
  label: z.string(),
  description: z.string(),
  examples: z.array(z.string()),
  /** The union's domain rules for this category (they add to the shipped list). */
  domains: z.array(z.string()),
  enabled: z.boolean(),
  isNew: z.boolean(),
  /** Switched on, but held until the member confirms a privacy change. */
  held: z.boolean(),
});

export const exclusionView = z.object({ site: z.string(), addedAt: z.number() });

/**
 * A DAP report as "What was sent" shows it: the measurement (category ids in vector order; per
 * category flag, visits, active minutes), the leader's upload URL, and once built the exact bytes
 * (hex) and report id.
 */
export const dapReportView = z.object({
  task: z.object({ taskId: z.string(), leaderUrl: z.string() }),
  categoryIds: z.array(z.number()),
  measurement: z.array(z.number()),
  localNoise: z.boolean(),
  bytes: z.string().nullable(),
  reportId: z.string().nullable(),
});

export const sentEntryView = z.object({
  id: z.number(),
  epochStart: z.number(),
  member: z.string(),
  /** The request body exactly as sent (JSON text of `{report, signature}`). */
  body: z.string(),
  firstAttemptAt: z.number(),
  answeredAt: z.number(),
  attempts: z.number(),
  /** `withheld`: withheld by the member before its send time, never sent (`body` is empty). */
  outcome: z.enum(['stored', 'conflict', 'rejected', 'withheld']),
  answer: z.object({ status: z.number().nullable(), body: z.string() }),
  /** Present for a DAP report (`body` is then empty). */
  dap: dapReportView.optional(),
});

/** One request made to the union (the request log, `outbox/request-log.ts`). */
export const requestLogEntryView = z.object({
  id: z.number(),
  at: z.number(),
  method: z.string(),
  /** Path and query on the union's address. */
  path: z.string(),
  /** The request body exactly as sent, or null (none). */
  body: z.string().nullable(),
  /** The union's HTTP status; null until it answers or when no answer came (`error`). */
  status: z.number().nullable(),
  answeredAt: z.number().nullable(),
  error: z.string().nullable(),
});

export const outboxItemView = z.object({
  epochStart: z.number(),
  body: z.string(),
  dap: dapReportView.optional(),
  createdAt: z.number(),
  attempts: z.number(),
  nextAttemptAt: z.number(),
  lastError: z
    .object({
      status: z.number().nullable(),
      code: z.string(),
      message: z.string(),
      at: z.number(),
    })
    .nullable(),
});

/** Token amounts are decimal strings in base units (DESIGN §3). */
export const amount = z.string().regex(/^(0|[1-9][0-9]*)$/);

/**
 * Earnings from the union's member API (`GET /v1/members/:address/earnings`); `unavailable` with a
 * sentence when the union has no revenue sharing or cannot be reached.
 */
export const earningsView = z.discriminatedUnion('state', [
  z.object({ state: z.literal('unavailable'), message: z.string() }),
  z.object({
    state: z.literal('available'),
    token: z.object({ address: z.string(), symbol: z.string(), decimals: z.number().int() }),
    total: amount,
    withdrawable: amount,
    pending: amount,
    withdrawn: amount,
    /** When pending earnings become withdrawable (ms), or null. */
    pendingUsableAt: z.number().nullable(),
    /** The smallest payout the union relays, when the union says. */
    minWithdrawal: amount.optional(),
  }),
]);

export const withdrawalStatus = z.enum(['pending', 'mined', 'confirmed', 'failed']);

/** A withdrawal the union relays (`POST /v1/withdrawals`, `GET /v1/withdrawals/:id`). */
export const withdrawalView = z.object({
  id: z.string(),
  txHash: z.string().nullable(),
  status: withdrawalStatus,
  /** Known once the union reports it (`GET /v1/withdrawals/:id`). */
  amount: amount.nullable(),
  recipient: z.string().nullable(),
});
