/**
 * Browser activity → tallies. Every event passes the consent gate (`decideRecording`); only a
 * category id and a count or a number of milliseconds is written — never the URL or host name.
 */
import { epochEndMs, epochStartOf } from '../aggregator/epochs.ts';
import { changeAttention, recordVisit } from '../aggregator/tally-store.ts';
import { classifyUrl } from '../classifier/classify.ts';
import { decideRecording, type RecordDecision } from '../consent/consent-rules.ts';
import { isExcluded } from '../consent/site-exclusions.ts';
import type { Ctx } from './context.ts';

export interface PageView {
  url: string;
  incognito: boolean;
}

export function judgePage(ctx: Ctx, page: PageView, nowMs: number) {
  const { consent, rules, exclusions } = ctx.state;
  // Cheap refusals first: no URL is even parsed without consent.
  const early = decideRecording(consent, {
    now: nowMs,
    incognito: page.incognito,
    category: 0,
    excluded: false,
  });
  if (early === 'incognito' || early === 'no-consent' || early === 'paused') {
    return { decision: early, category: null };
  }
  const category = classifyUrl(page.url, rules);
  let excluded = false;
  if (category !== null && exclusions.size > 0) {
    try {
      excluded = isExcluded(new URL(page.url).hostname, exclusions);
    } catch {
      excluded = true;
    }
  }
  const decision: RecordDecision = decideRecording(consent, {
    now: nowMs,
    incognito: page.incognito,
    category,
    excluded,
  });
  return { decision, category: decision === 'record' ? category : null };
}

async function armEpochClose(ctx: Ctx, nowMs: number, epochSeconds: number): Promise<void> {
  const end = epochEndMs(epochStartOf(nowMs, epochSeconds), epochSeconds);
  if (ctx.state.closeAlarmAt === end) return;
  ctx.state.closeAlarmAt = end;
  await ctx.deps.scheduler.at('epoch-close', end + 1000);
}

/** A page finished loading in a tab: one visit to its category, if recording is allowed. */
export async function onPageLoaded(ctx: Ctx, page: PageView): Promise<RecordDecision> {
  const now = ctx.deps.now();
  const config = ctx.state.config?.signed.config;
  const { decision, category } = judgePage(ctx, page, now);
  if (decision !== 'record' || category === null || !config) return decision;
  await recordVisit(ctx.db, now, config.epochSeconds, category);
  await armEpochClose(ctx, now, config.epochSeconds);
  return decision;
}

export interface AttentionEvent {
  /** The active tab of the focused window while the user is active, or null. */
  foreground: PageView | null;
  /** When attention really ended, if earlier than now (idle is reported after a delay). */
  endedAtMs?: number | undefined;
  /** Credit the running span and start it again (heartbeat), even if nothing changed. */
  reanchor?: boolean | undefined;
}

/** Heartbeat of the attention timer while a span is open (`chrome.alarms`: 30 s at the least). */
export const ATTENTION_TICK_MINUTES = 1;

export async function onAttention(ctx: Ctx, event: AttentionEvent): Promise<void> {
  const now = ctx.deps.now();
  const config = ctx.state.config?.signed.config;
  const next = event.foreground ? judgePage(ctx, event.foreground, now).category : null;
  const current = ctx.state.attention;
  if (!event.reanchor && (current?.category ?? null) === next) return;
  if (!config) {
    ctx.state.attention = null;
    return;
  }
  await changeAttention(ctx.db, {
    nowMs: now,
    epochSeconds: config.epochSeconds,
    next,
    endedAtMs: event.endedAtMs,
  });
  ctx.state.attention = next === null ? null : { category: next, since: now };
  // The heartbeat runs only while something is being timed: no wake-ups for an idle member.
  if (next === null) {
    if (current) await ctx.deps.scheduler.clear('attention-tick');
    return;
  }
  if (!current) await ctx.deps.scheduler.every('attention-tick', ATTENTION_TICK_MINUTES);
  await armEpochClose(ctx, now, config.epochSeconds);
}

/** Ends the running span now (before a pause, an opt-out or a withdrawal takes effect). */
export async function endAttention(ctx: Ctx): Promise<void> {
  await onAttention(ctx, { foreground: null });
}

/** Credits the running span up to now and restarts it on the same category (heartbeat, close). */
export async function reanchorAttention(ctx: Ctx): Promise<void> {
  const span = ctx.state.attention;
  const config = ctx.state.config?.signed.config;
  if (!span || !config) return;
  const now = ctx.deps.now();
  await changeAttention(ctx.db, {
    nowMs: now,
    epochSeconds: config.epochSeconds,
    next: span.category,
  });
  ctx.state.attention = { category: span.category, since: now };
}
