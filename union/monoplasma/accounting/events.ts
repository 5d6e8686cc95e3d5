/**
 * The events that move the revenue share, as plain values: the union records them in order,
 * publishes them, and anyone can replay them into identical totals (DESIGN §5). `at` is unix
 * seconds and never decreases along a log; amounts and fractions are exact bigints (decimal
 * strings in JSON, see eventToJson).
 */
import { z } from 'zod';

export type AccountingEvent =
  | { readonly type: 'member-joined'; readonly address: string; readonly at: number }
  | {
      readonly type: 'member-activity-changed';
      readonly address: string;
      /** Active = contributed an accepted report within the activity window (the caller decides). */
      readonly active: boolean;
      readonly at: number;
    }
  | { readonly type: 'member-left'; readonly address: string; readonly at: number }
  | { readonly type: 'member-removed'; readonly address: string; readonly at: number }
  | {
      readonly type: 'revenue-received';
      /** `${txHash}:${logIndex}` of the token transfer into the DataUnion. */
      readonly id: string;
      /** Token base units. */
      readonly amount: bigint;
      readonly at: number;
    }
  | {
      readonly type: 'admin-fee-set';
      /** 1e18 = 100 %. */
      readonly fraction: bigint;
      readonly at: number;
      /**
       * `${txHash}:${logIndex}` of the contract's `AdminFeeChanged` log, when the change came
       * from the chain: each id counts once, like revenue. Absent in logs written before fee
       * changes were read from events.
       */
      readonly id?: string;
    };

export type AccountingEventType = AccountingEvent['type'];

const decimal = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,77})$/, 'must be a non-negative integer as a decimal string')
  .transform((text) => BigInt(text));
const at = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte address');

/** JSON form of an event (bigints as decimal strings), validated and turned into an event. */
export const accountingEventJsonSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('member-joined'), address, at }),
  z.object({ type: z.literal('member-activity-changed'), address, active: z.boolean(), at }),
  z.object({ type: z.literal('member-left'), address, at }),
  z.object({ type: z.literal('member-removed'), address, at }),
  z.object({
    type: z.literal('revenue-received'),
    id: z.string().min(1).max(200),
    amount: decimal,
    at,
  }),
  z.object({
    type: z.literal('admin-fee-set'),
    fraction: decimal,
    at,
    id: z.string().min(1).max(200).optional(),
  }),
]);

export type AccountingEventJson = z.input<typeof accountingEventJsonSchema>;

export function eventToJson(event: AccountingEvent): AccountingEventJson {
  switch (event.type) {
    case 'revenue-received':
      return { ...event, amount: event.amount.toString() };
    case 'admin-fee-set':
      return { ...event, fraction: event.fraction.toString() };
    default:
      return { ...event };
  }
}

export function eventFromJson(json: unknown): AccountingEvent {
  const event = accountingEventJsonSchema.parse(json);
  // zod types an absent optional id as `id?: string | undefined`; drop it rather than carry it.
  if (event.type === 'admin-fee-set' && event.id === undefined) {
    const { id: _absent, ...rest } = event;
    return rest;
  }
  return event as AccountingEvent;
}
