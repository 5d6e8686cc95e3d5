/**
 * TEST-ONLY abilities behind the e2e hooks (`background/test-hooks.ts`): close the current epoch
 * as if it had ended now, send waiting reports without waiting for their random send time, switch
 * report noise off, read the open tallies. Only the hook module and tests import this file, so a
 * production bundle does not contain it; and noise and send times can only be overridden when the
 * host was built with `testHooks: true`.
 */
import { epochEndMs, epochStartOf } from '../aggregator/epochs.ts';
import type { EpochRecord } from '../storage/schema.ts';
import { withLock } from '../storage/database.ts';
import { closeAndSend, type Crowdsell } from './crowdsell.ts';
import type { CloseResult } from './epoch-closing.ts';
import { sendDueReports } from './union-sync.ts';

/**
 * Closes the running epoch as if it had ended now. With `send` (the default) its reports are
 * sent at once instead of at their random send time; without it they wait, as in real use.
 */
export async function closeCurrentEpochNow(
  crowdsell: Crowdsell,
  { send = true }: { send?: boolean } = {},
): Promise<CloseResult> {
  const ctx = await crowdsell.ready();
  const config = ctx.state.config?.signed.config;
  if (!config) return { reported: [], dropped: [] };
  const start = epochStartOf(ctx.deps.now(), config.epochSeconds);
  const result = await closeAndSend(ctx, epochEndMs(start, config.epochSeconds));
  if (send) await sendWaitingNow(crowdsell);
  return result;
}

/** Makes every waiting report due now and sends what can be sent (test builds only). */
export async function sendWaitingNow(crowdsell: Crowdsell): Promise<{ waiting: number }> {
  const ctx = await crowdsell.ready();
  if (!ctx.deps.testHooks) return { waiting: 0 };
  const now = ctx.deps.now();
  await withLock('outbox', async () => {
    const tx = ctx.db.transaction('outbox', 'readwrite');
    for (const record of await tx.store.getAll()) {
      if (record.nextAttemptAt > now) await tx.store.put({ ...record, nextAttemptAt: now });
    }
    await tx.done;
  });
  await sendDueReports(ctx);
  return { waiting: await ctx.db.count('outbox') };
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
