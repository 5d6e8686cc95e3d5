/**
 * Everything that talks to the union: the signed config, joining, member status and the outbox.
 */
import { forgetCategory } from '../aggregator/epochs.ts';
import { applyConfigCategories } from '../consent/consent-rules.ts';
import { applyPrivacyChange } from '../consent/privacy-change.ts';
import { fetchConfig, statusAfter, type ConfigOutcome } from '../config-store/config-store.ts';
import { asTypes, joinRequestTypes } from '../protocol/eip712.ts';
import { leaveRequestTypes } from '../protocol/leave.ts';
import { CrowdsellError, toErrorPayload } from '../protocol/errors.ts';
import { flushOutbox, type FlushResult } from '../outbox/outbox.ts';
import { withLock } from '../storage/database.ts';
import type { HeldConfig, JoinState, JoinStatus } from '../storage/schema.ts';
import { domainOf } from './app-deps.ts';
import { dapBuilder } from './dap-upload.ts';
import { rulesFor, type Ctx } from './context.ts';
import { endAttention } from './recording.ts';
import { getMemberStatus, postJoin, postLeave, unionFetch } from './union-api.ts';

export async function refreshConfig(ctx: Ctx): Promise<ConfigOutcome> {
  const { settings } = ctx.deps;
  const outcome = await fetchConfig(
    {
      fetch: unionFetch(ctx),
      unionUrl: settings.unionUrl,
      domain: domainOf(settings),
      admin: settings.adminAddress,
      limits: ctx.deps.privacyLimits,
    },
    ctx.state.config?.signed,
  );
  const now = ctx.deps.now();
  const status = statusAfter(outcome, now);
  await withLock('state', async () => {
    if (outcome.kind !== 'accepted') {
      // Any failure keeps the last good config; only the status records what went wrong.
      await ctx.db.put('state', status, 'config-status');
      ctx.state.configStatus = status;
      return;
    }
    const held: HeldConfig = { signed: outcome.signed, acceptedAt: now };
    const consent = applyPrivacyChange(
      applyConfigCategories(
        ctx.state.consent,
        outcome.signed.config.categories.map((c) => c.id),
        now,
        outcome.previousVersion === null,
      ),
      ctx.state.config?.signed.config,
      outcome.signed.config,
      now,
    );
    // Newly held categories: the running span ends, and what was counted under the old terms is
    // forgotten, so nothing is ever reported under terms the member has not seen.
    const before = new Set(ctx.state.consent.privacyChange?.categories ?? []);
    const newlyHeld = (consent.privacyChange?.categories ?? []).filter((id) => !before.has(id));
    if (ctx.state.attention && newlyHeld.includes(ctx.state.attention.category)) {
      await endAttention(ctx);
    }
    const tx = ctx.db.transaction(['state', 'epochs'], 'readwrite');
    const state = tx.objectStore('state');
    await Promise.all([
      state.put(held, 'config'),
      state.put(status, 'config-status'),
      state.put(consent, 'consent'),
    ]);
    if (newlyHeld.length > 0) {
      const epochs = tx.objectStore('epochs');
      for (const record of await epochs.getAll()) {
        await epochs.put(newlyHeld.reduce(forgetCategory, record));
      }
    }
    await tx.done;
    ctx.state.config = held;
    ctx.state.rules = rulesFor(held);
    ctx.state.consent = consent;
    ctx.state.configStatus = status;
  });
  return outcome;
}

async function saveJoin(ctx: Ctx, join: JoinState): Promise<JoinState> {
  await ctx.db.put('state', join, 'join');
  ctx.state.join = join;
  if (join.status === 'pending') await ctx.deps.scheduler.every('join-check', 30);
  else await ctx.deps.scheduler.clear('join-check');
  return join;
}

function joinWithError(join: JoinState, error: unknown, now: number): JoinState {
  const { code, message } = toErrorPayload(error);
  return { ...join, checkedAt: now, lastError: { code, message } };
}

export async function joinUnion(ctx: Ctx, secret: string | undefined): Promise<JoinState> {
  if (ctx.state.consent.givenAt === null) {
    throw new CrowdsellError('CONSENT_REQUIRED', 'Give your consent before joining the union.');
  }
  const { settings } = ctx.deps;
  const member = ctx.state.address;
  const now = ctx.deps.now();
  const request = { member, issuedAt: Math.floor(now / 1000) };
  const signature = await ctx.vault.signTypedData(
    domainOf(settings),
    asTypes(joinRequestTypes),
    request,
  );
  const appSecret = secret ?? settings.appSecret ?? undefined;
  return withLock('join', async () => {
    let status: JoinStatus;
    try {
      status = await postJoin(unionFetch(ctx), settings.unionUrl, {
        request,
        signature,
        ...(appSecret ? { secret: appSecret } : {}),
      });
    } catch (error) {
      return saveJoin(ctx, joinWithError({ ...ctx.state.join, requestedAt: now }, error, now));
    }
    return saveJoin(ctx, { member, status, requestedAt: now, checkedAt: now, lastError: null });
  });
}

/**
 * Leaves the union with a signed LeaveRequest. If the union cannot be reached the member is
 * still "left" locally (nothing more is recorded or sent) and the error is kept for the view.
 */
export async function leaveUnion(ctx: Ctx): Promise<JoinState> {
  const { settings } = ctx.deps;
  const now = ctx.deps.now();
  const request = { member: ctx.state.address, issuedAt: Math.floor(now / 1000) };
  const signature = await ctx.vault.signTypedData(
    domainOf(settings),
    asTypes(leaveRequestTypes),
    request,
  );
  return withLock('join', async () => {
    const left: JoinState = { ...ctx.state.join, status: 'left', checkedAt: now, lastError: null };
    if (ctx.state.join.status === 'not-joined') return saveJoin(ctx, ctx.state.join);
    try {
      await postLeave(unionFetch(ctx), settings.unionUrl, { request, signature });
      return saveJoin(ctx, left);
    } catch (error) {
      return saveJoin(ctx, joinWithError(left, error, now));
    }
  });
}

export async function refreshJoin(ctx: Ctx): Promise<JoinState> {
  const now = ctx.deps.now();
  return withLock('join', async () => {
    try {
      const status = await getMemberStatus(
        unionFetch(ctx),
        ctx.deps.settings.unionUrl,
        ctx.state.address,
      );
      return saveJoin(ctx, { ...ctx.state.join, status, checkedAt: now, lastError: null });
    } catch (error) {
      return saveJoin(ctx, joinWithError(ctx.state.join, error, now));
    }
  });
}

/** Sends what is due, if the member is active; re-arms the flush alarm for what is left. */
export async function sendDueReports(ctx: Ctx): Promise<FlushResult | null> {
  if (ctx.state.join.status !== 'active') return null;
  const result = await withLock('outbox', () =>
    flushOutbox({
      db: ctx.db,
      fetch: unionFetch(ctx),
      unionUrl: ctx.deps.settings.unionUrl,
      now: ctx.deps.now,
      random: ctx.deps.random,
      buildDap: dapBuilder(ctx),
    }),
  );
  if (result.nextAttemptAt === null) await ctx.deps.scheduler.clear('outbox-flush');
  else await ctx.deps.scheduler.at('outbox-flush', result.nextAttemptAt);
  return result;
}
