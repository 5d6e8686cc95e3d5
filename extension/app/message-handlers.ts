/**
 * One handler per protocol message (`satisfies Handlers`): each awaits the context, calls the
 * core and answers with a view. No handler returns key material or a visited address.
 */
import { epochEndMs, epochStartOf } from '../aggregator/epochs.ts';
import { canRecordAnything, isCategoryEnabled, isPaused } from '../consent/consent-rules.ts';
import { isHeldForChange } from '../consent/privacy-change.ts';
import { localNoiseApplies } from '../protocol/privacy-budget.ts';
import { CrowdsellError } from '../protocol/errors.ts';
import type { Handlers, ResultOf } from '../protocol/messages.ts';
import { categoryById } from '../protocol/taxonomy.ts';
import { pendingReports, sentLog, withholdReport } from '../outbox/outbox.ts';
import { requestLog } from '../outbox/request-log.ts';
import { withLock } from '../storage/database.ts';
import { exportBackup, readBackup } from '../vault/backup.ts';
import type { AppDeps } from './app-deps.ts';
import { freshJoin, type Ctx } from './context.ts';
import { fetchEarnings, withdrawAll, withdrawalState } from './earnings.ts';
import * as choices from './member-choices.ts';
import { budgetView } from './privacy-budget.ts';
import { joinUnion, leaveUnion, refreshConfig, refreshJoin, sendDueReports } from './union-sync.ts';

export interface HandlerHost {
  ready: () => Promise<Ctx>;
  deps: AppDeps;
  deleteEverything: () => Promise<void>;
}

const done = { done: true } as const;

function configView(ctx: Ctx): ResultOf<'refreshConfig'> {
  const held = ctx.state.config;
  const config = held?.signed.config;
  const block = config?.aggregation;
  return {
    version: config?.version ?? null,
    epochSeconds: config?.epochSeconds ?? null,
    acceptedAt: held?.acceptedAt ?? null,
    lastFetchAt: ctx.state.configStatus.lastFetchAt,
    lastError: ctx.state.configStatus.lastError,
    aggregation:
      config && block
        ? {
            leaderUrl: block.leaderUrl,
            helperUrl: block.helperUrl,
            centralEpsilon: block.centralEpsilon,
            minBatchSize: block.minBatchSize,
            localEpsilon: localNoiseApplies(config) ? config.privacy.epsilon : null,
          }
        : null,
  };
}

function categoriesView(ctx: Ctx): ResultOf<'listCategories'>['categories'] {
  const config = ctx.state.config?.signed.config;
  if (!config) return [];
  return config.categories.flatMap((c) => {
    const known = categoryById(c.id);
    if (!known) return [];
    const consent = ctx.state.consent.categories[String(c.id)];
    return [
      {
        id: c.id,
        key: c.key,
        label: c.label,
        description: c.description,
        examples: [...known.examples],
        domains: [...c.domains],
        enabled: consent?.enabled === true,
        isNew: consent?.isNew === true,
        held: isHeldForChange(ctx.state.consent, c.id),
      },
    ];
  });
}

function privacyChangeOf(ctx: Ctx): ResultOf<'listCategories'>['privacyChange'] {
  const pending = ctx.state.consent.privacyChange;
  if (!pending) return null;
  const { baseline: _baseline, ...view } = pending;
  return view;
}

export function createHandlers(host: HandlerHost): Handlers {
  const { ready, deps } = host;
  return {
    async status() {
      const ctx = await ready();
      const now = deps.now();
      const config = ctx.state.config?.signed.config;
      const enabled = config
        ? config.categories.filter((c) => isCategoryEnabled(ctx.state.consent, c.id)).length
        : 0;
      const pending = await pendingReports(ctx.db);
      const start = config ? epochStartOf(now, config.epochSeconds) : null;
      return {
        version: deps.extensionVersion,
        ready: true,
        address: ctx.state.address,
        consentGivenAt: ctx.state.consent.givenAt,
        paused: isPaused(ctx.state.consent, now) ? ctx.state.consent.pause : null,
        recording: canRecordAnything(ctx.state.consent, now) && enabled > 0,
        enabledCategories: enabled,
        join: ctx.state.join,
        config: configView(ctx),
        openEpoch:
          config && start !== null
            ? { epochStart: start, endsAt: epochEndMs(start, config.epochSeconds) }
            : null,
        outbox: { pending: pending.length, nextAttemptAt: pending[0]?.nextAttemptAt ?? null },
      };
    },
    async giveConsent() {
      const ctx = await ready();
      const consent = await choices.giveMemberConsent(ctx);
      if (!ctx.state.config) await refreshConfig(ctx);
      return { givenAt: consent.givenAt ?? deps.now() };
    },
    async withdrawConsent() {
      await choices.withdrawMemberConsent(await ready());
      return done;
    },
    async joinState() {
      return (await ready()).state.join;
    },
    async join({ secret }) {
      const ctx = await ready();
      const join = await joinUnion(ctx, secret);
      if (join.status === 'active') await sendDueReports(ctx);
      return join;
    },
    async refreshJoin() {
      const ctx = await ready();
      const join = await refreshJoin(ctx);
      if (join.status === 'active') await sendDueReports(ctx);
      return join;
    },
    async leave() {
      const ctx = await ready();
      await choices.withdrawMemberConsent(ctx);
      return leaveUnion(ctx);
    },
    async listCategories() {
      const ctx = await ready();
      return {
        configVersion: ctx.state.config?.signed.config.version ?? null,
        categories: categoriesView(ctx),
        dataCollectionRevokedAt: ctx.state.consent.dataCollectionRevokedAt ?? null,
        privacyChange: privacyChangeOf(ctx),
      };
    },
    async confirmPrivacyChange({ version }) {
      await choices.confirmMemberPrivacyChange(await ready(), version);
      return done;
    },
    async privacyBudget() {
      return budgetView(await ready());
    },
    async setCategory({ id, enabled }) {
      const ctx = await ready();
      await choices.setMemberCategory(ctx, id, enabled);
      const view = categoriesView(ctx).find((c) => c.id === id);
      if (!view) throw new CrowdsellError('UNKNOWN_CATEGORY', 'This category is not offered.');
      return view;
    },
    async acknowledgeNewCategories() {
      await choices.acknowledgeNewCategories(await ready());
      return done;
    },
    async pause({ choice, timezoneOffsetMinutes }) {
      const ctx = await ready();
      return choices.pauseRecording(ctx, { kind: choice }, timezoneOffsetMinutes ?? 0);
    },
    async resume() {
      await choices.resumeRecording(await ready());
      return done;
    },
    async listExclusions() {
      return { sites: await choices.listExclusions(await ready()) };
    },
    async addExclusion({ site }) {
      return choices.addExclusion(await ready(), site);
    },
    async removeExclusion({ site }) {
      await choices.removeExclusion(await ready(), site);
      return done;
    },
    async sentLog({ limit }) {
      const entries = await sentLog((await ready()).db, limit ?? 100);
      return { entries: entries.map((e) => ({ ...e, id: e.id ?? 0 })) };
    },
    async outboxStatus() {
      return { pending: await pendingReports((await ready()).db) };
    },
    async requestLog({ limit }) {
      const entries = await requestLog((await ready()).db, limit ?? 200);
      return { entries: entries.map((e) => ({ ...e, id: e.id ?? 0 })) };
    },
    async withholdReport({ epochStart }) {
      const ctx = await ready();
      await withLock('outbox', () => withholdReport(ctx.db, epochStart, deps.now()));
      return done;
    },
    async refreshConfig() {
      const ctx = await ready();
      await refreshConfig(ctx);
      return configView(ctx);
    },
    async keyAddress() {
      return { address: (await ready()).state.address };
    },
    async exportBackup({ password }) {
      const ctx = await ready();
      const keystore = await exportBackup(ctx.vault, password, {
        ...(deps.backupScrypt ? { scrypt: deps.backupScrypt } : {}),
      });
      return { address: ctx.state.address, keystore };
    },
    async importBackup({ keystore, password }) {
      const ctx = await ready();
      const account = await readBackup(deps.crypto.subtle, keystore, password);
      const previous = ctx.state.address;
      if (account.address === previous) return { address: previous, previousAddress: null };
      await withLock('state', async () => {
        await ctx.vault.replaceKey(account.privateKey);
        // Membership belongs to an address: the restored identity's status is asked afresh.
        const join = freshJoin(account.address);
        await ctx.db.put('state', join, 'join');
        ctx.state.address = account.address;
        ctx.state.join = join;
      });
      await refreshJoin(ctx);
      return { address: account.address, previousAddress: previous };
    },
    async deleteAllData() {
      await host.deleteEverything();
      return done;
    },
    async earnings() {
      return fetchEarnings(await ready());
    },
    async withdraw({ recipient, shownAmount }) {
      return withdrawAll(await ready(), recipient, shownAmount);
    },
    async withdrawalStatus({ id }) {
      return withdrawalState(await ready(), id);
    },
  } satisfies Handlers;
}
