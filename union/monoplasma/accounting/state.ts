/**
 * The accounting's complete state as plain values, and its JSON form (bigints as decimal
 * strings, members and revenue ids in the order they first appeared, so a restored state
 * serialises byte for byte like the live one). Derived parts — who is earning, the count of
 * earners, the maturity queue — are rebuilt on load, never stored.
 */
import { z } from 'zod';

import { AccountingError } from './errors.ts';

export type MemberStatus = 'member' | 'left' | 'removed';

export interface MemberState {
  status: MemberStatus;
  /** Time of the latest join; the membership age counts from here. */
  joinedAt: number;
  /** The caller's activity flag (accepted report within the activity window). */
  active: boolean;
  /** Old enough to earn (membership age ≥ the minimum) since the latest join. */
  matured: boolean;
  /** Earnings materialised so far. */
  settled: bigint;
  /** The accumulator's value when the member last started earning (meaningful while earning). */
  entryEarningsPerShare: bigint;
}

/** Earning = joined (not left or removed), active and old enough. */
export const isEarning = (m: MemberState): boolean =>
  m.status === 'member' && m.active && m.matured;

export interface AccountingState {
  minMembershipAgeSeconds: number;
  /** 1e18 = 100 %. */
  adminFeeFraction: bigint;
  /** Time of the latest event. */
  clock: number;
  totalRevenue: bigint;
  adminTotal: bigint;
  /** Member share not yet divisible among the earners; always < earner count at distribution. */
  carriedRemainder: bigint;
  /** Cumulative earnings of one member that has earned since the start (the accumulator). */
  earningsPerShare: bigint;
  members: Map<string, MemberState>;
  /** Processed revenue ids and their amounts. */
  revenue: Map<string, bigint>;
  /** Processed `AdminFeeChanged` log ids (fee changes read from the chain). */
  feeChanges: Set<string>;
}

export const STATE_VERSION = 1;

const decimal = z
  .string()
  .regex(/^(0|[1-9][0-9]*)$/, 'must be a non-negative integer as a decimal string')
  .transform((text) => BigInt(text));
const time = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

const stateJsonSchema = z.object({
  version: z.literal(STATE_VERSION),
  minMembershipAgeSeconds: time,
  adminFeeFraction: decimal,
  clock: time,
  totalRevenue: decimal,
  adminTotal: decimal,
  carriedRemainder: decimal,
  earningsPerShare: decimal,
  /** [address, status, joinedAt, active, matured, settled, entryEarningsPerShare] */
  members: z.array(
    z.tuple([
      z.string().regex(/^0x[0-9a-f]{40}$/),
      z.enum(['member', 'left', 'removed']),
      time,
      z.boolean(),
      z.boolean(),
      decimal,
      decimal,
    ]),
  ),
  /** [id, amount] */
  revenue: z.array(z.tuple([z.string().min(1), decimal])),
  /** ids of the fee changes applied from the chain (absent in states saved before them) */
  feeChanges: z.array(z.string().min(1)).default([]),
});

export type AccountingStateJson = z.input<typeof stateJsonSchema>;
/** One member as saved: [address, status, joinedAt, active, matured, settled, entry]. */
export type MemberJson = AccountingStateJson['members'][number];
/** Everything but the members: the small part the books store as one row (D-044). */
export type AccountingHeaderJson = Omit<AccountingStateJson, 'members'>;

/** A member's total: settled, plus the accumulator's growth since they started earning. */
export const memberTotal = (m: MemberState, earningsPerShare: bigint): bigint =>
  isEarning(m) ? m.settled + (earningsPerShare - m.entryEarningsPerShare) : m.settled;

export function memberToJson(address: string, m: MemberState): MemberJson {
  return [
    address,
    m.status,
    m.joinedAt,
    m.active,
    m.matured,
    m.settled.toString(),
    m.entryEarningsPerShare.toString(),
  ];
}

export function headerToJson(state: AccountingState): AccountingHeaderJson {
  return {
    version: STATE_VERSION,
    minMembershipAgeSeconds: state.minMembershipAgeSeconds,
    adminFeeFraction: state.adminFeeFraction.toString(),
    clock: state.clock,
    totalRevenue: state.totalRevenue.toString(),
    adminTotal: state.adminTotal.toString(),
    carriedRemainder: state.carriedRemainder.toString(),
    earningsPerShare: state.earningsPerShare.toString(),
    revenue: Array.from(state.revenue, ([id, amount]) => [id, amount.toString()]),
    feeChanges: [...state.feeChanges],
  };
}

export function stateToJson(state: AccountingState): AccountingStateJson {
  const { revenue, feeChanges, ...head } = headerToJson(state);
  return {
    ...head,
    members: Array.from(state.members, ([address, m]) => memberToJson(address, m)),
    revenue,
    feeChanges,
  };
}

/** True when a saved state (or none) holds no event yet: a cheap look, without parsing it all. */
export function savedStateIsEmpty(json: unknown): boolean {
  return json === undefined || (json as { clock?: unknown }).clock === 0;
}

/** Parses the JSON form; consistency (the money invariant) is checked by the accounting. */
export function stateFromJson(json: unknown): AccountingState {
  const parsed = stateJsonSchema.safeParse(json);
  if (!parsed.success) {
    throw new AccountingError(
      'ACCOUNTING_INVALID_STATE',
      `The saved accounting state is malformed: ${parsed.error.issues[0]?.message ?? 'unknown'}.`,
    );
  }
  const s = parsed.data;
  const members = new Map<string, MemberState>();
  for (const [address, status, joinedAt, active, matured, settled, entry] of s.members) {
    if (members.has(address)) {
      throw new AccountingError(
        'ACCOUNTING_INVALID_STATE',
        `The saved accounting state lists ${address} twice.`,
      );
    }
    members.set(address, {
      status,
      joinedAt,
      active,
      matured,
      settled,
      entryEarningsPerShare: entry,
    });
  }
  return {
    minMembershipAgeSeconds: s.minMembershipAgeSeconds,
    adminFeeFraction: s.adminFeeFraction,
    clock: s.clock,
    totalRevenue: s.totalRevenue,
    adminTotal: s.adminTotal,
    carriedRemainder: s.carriedRemainder,
    earningsPerShare: s.earningsPerShare,
    members,
    revenue: new Map(s.revenue),
    feeChanges: new Set(s.feeChanges),
  };
}
