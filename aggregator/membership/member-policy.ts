/**
 * The member-signature policy a running aggregator applies when its task requires signatures
 * (a task from the signed union config, or a task file naming `memberSignatures`): the union's
 * EIP-712 domain from the operator's pins, and
 * membership from the union's public log over HTTP (`http-membership.ts`), read with the
 * aggregator's own clock. The same for the leader and the helper.
 */
import type { MembershipPins } from '../task/task-file.ts';
import { httpMembership } from './http-membership.ts';
import type { MemberSignaturePolicy } from './verify-member-report.ts';

/**
 * How long after its time a log entry is surely readable: a join's transaction lag and the clocks
 * of several union instances. Reports are for closed epochs, so this costs no waiting.
 */
export const MEMBERSHIP_SETTLE_SECONDS = 120;

export function memberSignaturePolicy(
  pins: MembershipPins,
  timePrecisionSeconds: number,
  now: () => number,
  fetchFn: typeof fetch = fetch,
): MemberSignaturePolicy {
  return {
    domain: pins.domain,
    timePrecisionSeconds,
    membership: httpMembership({
      unionUrl: pins.unionUrl,
      fetch: fetchFn,
      now,
      settleSeconds: MEMBERSHIP_SETTLE_SECONDS,
    }),
  };
}

/** The start line's words for it. */
export function describeSignatures(pins: MembershipPins | null): string {
  return pins
    ? `member signatures required (membership log of ${pins.unionUrl})`
    : 'member signatures not required';
}
