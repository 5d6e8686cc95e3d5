/**
 * Checks a restored state before the accounting trusts it, and rebuilds what is derived from
 * it: the earner count and the maturity queue. Refuses any state that breaks the money
 * invariant, so a corrupted or hand-edited save cannot silently move tokens.
 */
import { AccountingError } from './errors.ts';
import { checkFee } from './inputs.ts';
import { MaturityQueue } from './maturity-queue.ts';
import { isEarning, type AccountingState } from './state.ts';

export function checkedDerivedState(state: AccountingState): {
  earners: number;
  maturing: MaturityQueue;
} {
  const invalid = (why: string) =>
    new AccountingError(
      'ACCOUNTING_INVALID_STATE',
      `The saved accounting state is inconsistent: ${why}.`,
    );
  checkFee(state.adminFeeFraction);
  let earners = 0;
  let memberTotals = 0n;
  const maturing = new MaturityQueue();
  for (const [address, m] of state.members) {
    if (m.joinedAt > state.clock) throw invalid(`${address} joined after the latest event`);
    const maturesAt = m.joinedAt + state.minMembershipAgeSeconds;
    if (m.status === 'member' && !m.matured) {
      // Maturity is processed before every event, so only future maturities can be pending.
      if (maturesAt <= state.clock) throw invalid(`${address} should have matured`);
      maturing.push({ maturesAt, address });
    }
    if (m.status === 'member' && m.matured && maturesAt > state.clock) {
      throw invalid(`${address} matured too early`);
    }
    if (isEarning(m)) {
      if (m.entryEarningsPerShare > state.earningsPerShare) {
        throw invalid(`${address} started earning after the accumulator`);
      }
      earners++;
      memberTotals += m.settled + state.earningsPerShare - m.entryEarningsPerShare;
    } else {
      memberTotals += m.settled;
    }
  }
  let revenue = 0n;
  for (const amount of state.revenue.values()) revenue += amount;
  if (revenue !== state.totalRevenue) throw invalid('the revenue list does not add up');
  if (memberTotals + state.adminTotal + state.carriedRemainder !== state.totalRevenue) {
    throw invalid('member totals, admin total and remainder do not add up to the revenue');
  }
  return { earners, maturing };
}
