/** Freshness of a signed `JoinRequest` (DESIGN §3): issued within 10 minutes, not in the future. */
import { CrowdsellError } from '../../extension/protocol/errors.ts';
import { CLOCK_SKEW_SECONDS, JOIN_MAX_AGE_SECONDS } from '../../extension/protocol/wire.ts';

export function checkJoinFreshness(issuedAt: number, nowSeconds: number): void {
  if (issuedAt > nowSeconds + CLOCK_SKEW_SECONDS) {
    throw new CrowdsellError(
      'JOIN_FROM_FUTURE',
      'The join request is dated in the future; check the clock.',
    );
  }
  if (issuedAt < nowSeconds - JOIN_MAX_AGE_SECONDS) {
    throw new CrowdsellError(
      'JOIN_EXPIRED',
      'The join request is older than 10 minutes; sign a new one.',
    );
  }
}
