/**
 * TEST-ONLY abilities behind the e2e hooks (`background/test-hooks.ts`): close the current epoch
 * as if it had ended now, switch report noise off, read the open tallies. Only the hook module
 * and tests import this file, so a production bundle does not contain it; and noise can only be
 * switched off when the host was built with `testHooks: true`.
 */
import { epochEndMs, epochStartOf } from '../aggregator/epochs.ts';
import type { EpochRecord } from '../storage/schema.ts';
import { closeAndSend, type Crowdsell } from './crowdsell.ts';
import type { CloseResult } from './epoch-closing.ts';

export async function closeCurrentEpochNow(crowdsell: Crowdsell): Promise<CloseResult> {
  const ctx = await crowdsell.ready();
  const config = ctx.state.config?.signed.config;
  if (!config) return { reported: [], dropped: [] };
  const start = epochStartOf(ctx.deps.now(), config.epochSeconds);
  return closeAndSend(ctx, epochEndMs(start, config.epochSeconds));
}

export async function setNoise(crowdsell: Crowdsell, enabled: boolean): Promise<void> {
  const ctx = await crowdsell.ready();
  if (!ctx.deps.testHooks) return;
  await ctx.db.put('state', enabled, 'test-noise');
  ctx.state.noise = enabled;
}

export async function openTallies(crowdsell: Crowdsell): Promise<EpochRecord[]> {
  const ctx = await crowdsell.ready();
  return ctx.deps.testHooks ? ctx.db.getAll('epochs') : [];
}
