/**
 * The views of the privacy budget and of an unconfirmed privacy change, as the service worker
 * answers them (protocol.ts: `privacyBudget`, `listCategories`). Plain data only.
 */
import { z } from 'zod';

const spend = z.object({ spent: z.number(), cap: z.number().nullable() });

/** ε spent in the last 24 hours and 30 days against the build's caps (null: not enforced). */
export const budgetView = z.object({
  /** 'development': short epochs and a small k are allowed, the caps are not enforced. */
  kind: z.enum(['store', 'development']),
  day: spend,
  days30: spend,
});

const numberChange = z.object({
  kind: z.enum([
    'daily-epsilon',
    'epsilon',
    'epoch-seconds',
    'max-visits',
    'max-active-seconds',
    'k-threshold',
  ]),
  from: z.number(),
  to: z.number(),
});

const rulesChange = z.object({
  kind: z.literal('rules'),
  category: z.number(),
  label: z.string(),
  added: z.array(z.string()),
  removed: z.array(z.string()),
});

const aggregatorsChange = z.object({
  kind: z.literal('aggregators'),
  from: z.string().nullable(),
  to: z.string().nullable(),
});

/** A privacy change waiting for the member's confirmation; its categories record nothing. */
export const privacyChangeView = z.object({
  fromVersion: z.number(),
  toVersion: z.number(),
  at: z.number(),
  categories: z.array(z.number()),
  changes: z.array(z.union([numberChange, rulesChange, aggregatorsChange])),
});
