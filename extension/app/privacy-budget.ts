/**
 * The device's privacy budget ledger (`state` → `privacy-budget`): what ε each reported epoch
 * spent. Epoch closing asks `spendEpochBudget` before making a report; the popup reads
 * `budgetView`. Rules: extension/protocol/privacy-budget.ts.
 */
import {
  budgetAllows,
  budgetSummary,
  chargeLedger,
  emptyLedger,
  deviceEpochEpsilonCents,
  type BudgetLedger,
  type BudgetSummary,
} from '../protocol/privacy-budget.ts';
import type { Ctx } from './context.ts';

/**
 * Charges one closed epoch's ε (what the device spends: the local ε when it adds local noise,
 * plus the central ε of an aggregation block — `deviceEpochEpsilonCents`), in one transaction, if every window stays within the build's caps;
 * false: the epoch must not be reported. Charging an epoch again (a close interrupted after
 * charging) is free, so a retried close reports it.
 */
export async function spendEpochBudget(
  ctx: Ctx,
  epoch: { epochStart: number; epochSeconds: number },
  config: Parameters<typeof deviceEpochEpsilonCents>[0],
): Promise<boolean> {
  const entry = {
    epochStart: epoch.epochStart,
    epochEnd: epoch.epochStart + epoch.epochSeconds,
    epsilonCents: deviceEpochEpsilonCents(config),
  };
  const tx = ctx.db.transaction('state', 'readwrite');
  const ledger =
    ((await tx.store.get('privacy-budget')) as BudgetLedger | undefined) ?? emptyLedger();
  const allowed = budgetAllows(ledger, entry, ctx.deps.privacyLimits).ok;
  if (allowed) await tx.store.put(chargeLedger(ledger, entry), 'privacy-budget');
  await tx.done;
  return allowed;
}

export async function budgetView(ctx: Ctx): Promise<BudgetSummary> {
  const ledger =
    ((await ctx.db.get('state', 'privacy-budget')) as BudgetLedger | undefined) ?? emptyLedger();
  return budgetSummary(ledger, Math.floor(ctx.deps.now() / 1000), ctx.deps.privacyLimits);
}
