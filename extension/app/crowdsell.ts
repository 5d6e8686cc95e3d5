/**
 * The extension core as one object the service worker wires to browser events: a lazy `ready`
 * context, event entry points, alarm dispatch and the message handlers. Everything here takes
 * plain values; `background/` translates browser events into these calls.
 */
import { epochEndMs, epochStartOf } from '../aggregator/epochs.ts';
import { dropAttention } from '../aggregator/tally-store.ts';
import { CONFIG_REFRESH_MINUTES } from '../config-store/config-store.ts';
import { isPaused } from '../consent/consent-rules.ts';
import { nextAttemptAt } from '../outbox/outbox.ts';
import type { Handlers } from '../protocol/messages.ts';
import { deleteCrowdsellDb } from '../storage/database.ts';
import type { AlarmName, AppDeps } from './app-deps.ts';
import { createContext, type Ctx } from './context.ts';
import { closeEndedEpochs, type CloseResult } from './epoch-closing.ts';
import { switchOffForRevokedDataCollection } from './member-choices.ts';
import { createHandlers } from './message-handlers.ts';
import {
  ATTENTION_TICK_MINUTES,
  onAttention,
  onPageLoaded,
  type AttentionEvent,
  type PageView,
} from './recording.ts';
import { refreshConfig, refreshJoin, sendDueReports } from './union-sync.ts';

/** Closes the epochs that ended by `nowMs` and sends what is due. */
export async function closeAndSend(ctx: Ctx, nowMs: number): Promise<CloseResult> {
  const result = await closeEndedEpochs(ctx, nowMs);
  await sendDueReports(ctx);
  return result;
}

export interface Crowdsell {
  /** Resolves once storage is open, the key exists and state is loaded (lazy, once). */
  ready(): Promise<Ctx>;
  handlers: Handlers;
  onPageLoaded(page: PageView): Promise<void>;
  onAttention(event: AttentionEvent): Promise<void>;
  /** The worker passes only known names (`isAlarmName`); the switch below handles each. */
  onAlarm(name: AlarmName): Promise<void>;
  /** The browser started (not just the worker): a span left open by the last session is dropped. */
  onBrowserStartup(): Promise<void>;
  /**
   * Firefox's `browsingActivity` data-collection permission is missing: every enabled category
   * is switched off (open counts for them forgotten) and the categories view says why.
   */
  onDataCollectionRevoked(): Promise<void>;
}

async function armAlarms(ctx: Ctx): Promise<void> {
  const { scheduler } = ctx.deps;
  await scheduler.every('config-refresh', CONFIG_REFRESH_MINUTES);
  if (ctx.state.attention) await scheduler.every('attention-tick', ATTENTION_TICK_MINUTES);
  const config = ctx.state.config?.signed.config;
  if (config && ctx.state.consent.givenAt !== null) {
    const now = ctx.deps.now();
    const end = epochEndMs(epochStartOf(now, config.epochSeconds), config.epochSeconds);
    ctx.state.closeAlarmAt = end;
    await scheduler.at('epoch-close', end + 1000);
  }
  if (ctx.state.join.status === 'pending') await scheduler.every('join-check', 30);
  // Alarms may not survive a browser restart: each waiting report's send time is in IndexedDB.
  const nextSend = await nextAttemptAt(ctx.db);
  if (nextSend !== null) await scheduler.at('outbox-flush', nextSend);
}

export function createCrowdsell(deps: AppDeps): Crowdsell {
  let context: Promise<Ctx> | null = null;

  function ready(): Promise<Ctx> {
    context ??= (async () => {
      const ctx = await createContext(deps);
      await armAlarms(ctx);
      // Catch up on whatever happened while the worker was not running.
      if (!ctx.state.config) void refreshConfig(ctx).catch(() => undefined);
      return ctx;
    })().catch((error: unknown) => {
      context = null;
      throw error;
    });
    return context;
  }

  async function onAlarm(name: AlarmName): Promise<void> {
    const ctx = await ready();
    switch (name) {
      case 'epoch-close': {
        ctx.state.closeAlarmAt = null;
        await closeAndSend(ctx, deps.now());
        await armAlarms(ctx);
        return;
      }
      case 'outbox-flush':
        await sendDueReports(ctx);
        return;
      case 'config-refresh':
        await refreshConfig(ctx);
        return;
      case 'join-check': {
        const join = await refreshJoin(ctx);
        if (join.status === 'active') await sendDueReports(ctx);
        return;
      }
      case 'pause-end':
        // Nothing to write: a pause with an end simply stops applying (see isPaused).
        if (!isPaused(ctx.state.consent, deps.now())) await deps.scheduler.clear('pause-end');
        return;
      case 'attention-tick':
        return; // answered by the worker with a fresh foreground.
    }
  }

  async function deleteEverything(): Promise<void> {
    const ctx = await ready();
    for (const name of [
      'epoch-close',
      'outbox-flush',
      'pause-end',
      'join-check',
      'attention-tick',
    ] as const) {
      await deps.scheduler.clear(name);
    }
    ctx.vault.forget();
    context = null;
    await deleteCrowdsellDb(ctx.db);
    await ready();
  }

  const crowdsell: Crowdsell = {
    ready,
    handlers: createHandlers({ ready, deps, deleteEverything }),
    async onPageLoaded(page) {
      await onPageLoaded(await ready(), page);
    },
    async onAttention(event) {
      await onAttention(await ready(), event);
    },
    onAlarm,
    async onBrowserStartup() {
      const ctx = await ready();
      await dropAttention(ctx.db);
      ctx.state.attention = null;
      await deps.scheduler.clear('attention-tick');
    },
    async onDataCollectionRevoked() {
      await switchOffForRevokedDataCollection(await ready());
    },
  };
  return crowdsell;
}
