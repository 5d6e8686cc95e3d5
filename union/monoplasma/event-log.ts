/**
 * The published accounting input log (GET /v1/accounting/events): every event the accounting
 * consumed, in processing order (chain order, docs/monoplasma.md §1), with its seq and chain
 * block. Revenue events also carry the transfer's `txHash` and `logIndex` so a validator can
 * match them with the token's `Transfer` logs; fee changes read from the chain carry those of
 * their `AdminFeeChanged` log. `eventFromPublished` turns an entry back into the accounting event it stands for, so
 * the validator replays through the very same `MonoplasmaAccounting`.
 */
import { z } from 'zod';

import {
  eventFromJson,
  type AccountingEvent,
  type AccountingEventJson,
  type AccountingEventType,
} from './accounting.ts';

export type PublishedEvent = {
  seq: number;
  kind: AccountingEventType;
  /**
   * Revenue and fee changes: their log's block; membership events: the block of the chain event
   * they follow (else the watcher's cursor when applied).
   */
  blockNumber: number | null;
  at: number;
  txHash?: string;
  logIndex?: number;
} & Record<string, unknown>;

/** A stored event row → its public form. */
export function publishEvent(row: {
  seq: number;
  blockNumber: number | null;
  event: unknown;
}): PublishedEvent {
  const { type, ...fields } = row.event as AccountingEventJson;
  const out: PublishedEvent = { seq: row.seq, kind: type, blockNumber: row.blockNumber, ...fields };
  const id = (fields as { id?: unknown }).id;
  if ((type === 'revenue-received' || type === 'admin-fee-set') && typeof id === 'string') {
    const split = id.lastIndexOf(':');
    out.txHash = id.slice(0, split);
    out.logIndex = Number(id.slice(split + 1));
  }
  return out;
}

/** What a validator accepts from the wire (unknown fields are kept for eventFromPublished). */
export const publishedEventSchema = z
  .object({
    seq: z.number().int().positive(),
    kind: z.string(),
    blockNumber: z.number().int().nonnegative().nullable(),
    at: z.number(),
    txHash: z.string().optional(),
    logIndex: z.number().int().nonnegative().optional(),
  })
  .passthrough();

export const publishedEventsPageSchema = z.object({
  events: z.array(publishedEventSchema),
  next: z.number().int().nullable(),
  minMembershipAgeSeconds: z.number().int().nonnegative(),
});

/** The accounting event a published entry stands for (throws a ZodError if malformed). */
export function eventFromPublished(published: Record<string, unknown>): AccountingEvent {
  return eventFromJson({ ...published, type: published.kind });
}
