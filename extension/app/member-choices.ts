/**
 * The member's choices: consent, categories, pause and site exclusions. Each change is written to
 * IndexedDB (under the `state` lock) and then mirrored in the cache the event handlers read.
 */
import { forgetCategory } from '../aggregator/epochs.ts';
import {
  acknowledgeNew,
  enabledCategoryIds,
  giveConsent,
  pause,
  pauseUntil,
  resume,
  revokeDataCollection,
  setCategory,
  withdrawConsent,
  type PauseChoice,
} from '../consent/consent-rules.ts';
import { confirmPrivacyChange } from '../consent/privacy-change.ts';
import { normaliseSite } from '../consent/site-exclusions.ts';
import { CrowdsellError } from '../protocol/errors.ts';
import { categoryById } from '../protocol/taxonomy.ts';
import { withLock } from '../storage/database.ts';
import type { ConsentState, ExclusionRecord } from '../storage/schema.ts';
import type { Ctx } from './context.ts';
import { endAttention } from './recording.ts';

async function saveConsent(ctx: Ctx, next: ConsentState): Promise<ConsentState> {
  await ctx.db.put('state', next, 'consent');
  ctx.state.consent = next;
  return next;
}

export async function giveMemberConsent(ctx: Ctx): Promise<ConsentState> {
  return withLock('state', () => saveConsent(ctx, giveConsent(ctx.state.consent, ctx.deps.now())));
}

/**
 * Withdrawal stops recording at once and forgets what was not yet reported: open tallies and
 * reports waiting in the outbox are deleted (reports already sent are in the sent log).
 */
export async function withdrawMemberConsent(ctx: Ctx): Promise<void> {
  await withLock('state', async () => {
    await endAttention(ctx);
    const next = withdrawConsent(ctx.state.consent, ctx.deps.now());
    const tx = ctx.db.transaction(['state', 'epochs', 'outbox'], 'readwrite');
    await tx.objectStore('state').put(next, 'consent');
    await tx.objectStore('epochs').clear();
    await tx.objectStore('outbox').clear();
    await tx.done;
    ctx.state.consent = next;
  });
  await ctx.deps.scheduler.clear('outbox-flush');
}

export async function setMemberCategory(ctx: Ctx, id: number, enabled: boolean): Promise<void> {
  const config = ctx.state.config?.signed.config;
  if (!config?.categories.some((c) => c.id === id) || !categoryById(id)) {
    throw new CrowdsellError('UNKNOWN_CATEGORY', 'This category is not offered by the union.');
  }
  if (enabled && ctx.state.consent.givenAt === null) {
    throw new CrowdsellError('CONSENT_REQUIRED', 'Give your consent before choosing categories.');
  }
  await withLock('state', async () => {
    if (!enabled && ctx.state.attention?.category === id) await endAttention(ctx);
    const next = setCategory(ctx.state.consent, id, enabled, ctx.deps.now());
    const tx = ctx.db.transaction(['state', 'epochs'], 'readwrite');
    await tx.objectStore('state').put(next, 'consent');
    if (!enabled) {
      // Switching a category off forgets what was counted for it and not yet reported.
      const epochs = tx.objectStore('epochs');
      for (const record of await epochs.getAll()) await epochs.put(forgetCategory(record, id));
    }
    await tx.done;
    ctx.state.consent = next;
  });
}

/**
 * Firefox's `browsingActivity` data-collection permission is missing (withdrawn in about:addons,
 * or never granted): every enabled category is switched off the way `setMemberCategory(…, false)`
 * does it — the span is ended and the open epoch's counts for it are forgotten — and the consent
 * record notes why. Reports waiting in the outbox are deleted too, as when consent is withdrawn:
 * Firefox's permission governs sending browsing activity, so nothing collected before is sent
 * after it is gone (reports already sent are in the sent log). Does nothing when no category is
 * on and nothing waits. Resolves to the ids switched off.
 */
export async function switchOffForRevokedDataCollection(ctx: Ctx): Promise<number[]> {
  const switchedOff = await withLock('state', async () => {
    const ids = enabledCategoryIds(ctx.state.consent);
    const waiting = await ctx.db.count('outbox');
    if (ids.length === 0 && waiting === 0) return null;
    if (ctx.state.attention && ids.includes(ctx.state.attention.category)) await endAttention(ctx);
    const next =
      ids.length === 0
        ? ctx.state.consent
        : revokeDataCollection(ctx.state.consent, ctx.deps.now());
    const tx = ctx.db.transaction(['state', 'epochs', 'outbox'], 'readwrite');
    await tx.objectStore('state').put(next, 'consent');
    const epochs = tx.objectStore('epochs');
    for (const record of await epochs.getAll()) {
      await epochs.put(ids.reduce(forgetCategory, record));
    }
    await tx.objectStore('outbox').clear();
    await tx.done;
    ctx.state.consent = next;
    return ids;
  });
  if (switchedOff === null) return [];
  await ctx.deps.scheduler.clear('outbox-flush');
  return switchedOff;
}

/**
 * The member confirms the privacy change they were shown (`toVersion`, the config in force then):
 * held categories record again. A newer change since refuses, so nothing unseen is confirmed.
 */
export async function confirmMemberPrivacyChange(ctx: Ctx, toVersion: number): Promise<void> {
  await withLock('state', async () => {
    const pending = ctx.state.consent.privacyChange;
    if (!pending) return;
    if (pending.toVersion !== toVersion) {
      throw new CrowdsellError(
        'PRIVACY_CHANGE_OUTDATED',
        'The union changed its terms again; read the new changes before confirming.',
      );
    }
    await saveConsent(ctx, confirmPrivacyChange(ctx.state.consent));
  });
}

export async function acknowledgeNewCategories(ctx: Ctx): Promise<void> {
  await withLock('state', () => saveConsent(ctx, acknowledgeNew(ctx.state.consent)));
}

export async function pauseRecording(
  ctx: Ctx,
  choice: PauseChoice,
  timezoneOffsetMinutes: number,
): Promise<{ since: number; until: number | null }> {
  const now = ctx.deps.now();
  const until = pauseUntil(choice, now, timezoneOffsetMinutes);
  await withLock('state', async () => {
    await endAttention(ctx);
    await saveConsent(ctx, pause(ctx.state.consent, now, until));
  });
  if (until === null) await ctx.deps.scheduler.clear('pause-end');
  else await ctx.deps.scheduler.at('pause-end', until);
  return { since: now, until };
}

export async function resumeRecording(ctx: Ctx): Promise<void> {
  await withLock('state', () => saveConsent(ctx, resume(ctx.state.consent)));
  await ctx.deps.scheduler.clear('pause-end');
}

export async function addExclusion(ctx: Ctx, input: string): Promise<ExclusionRecord> {
  const record: ExclusionRecord = { site: normaliseSite(input), addedAt: ctx.deps.now() };
  await withLock('state', async () => {
    await ctx.db.put('exclusions', record);
    ctx.state.exclusions.add(record.site);
    if (ctx.state.attention) await endAttention(ctx);
  });
  return record;
}

export async function removeExclusion(ctx: Ctx, site: string): Promise<void> {
  const normalised = site.trim().toLowerCase();
  await withLock('state', async () => {
    await ctx.db.delete('exclusions', normalised);
    ctx.state.exclusions.delete(normalised);
  });
}

export async function listExclusions(ctx: Ctx): Promise<ExclusionRecord[]> {
  return ctx.db.getAll('exclusions');
}
