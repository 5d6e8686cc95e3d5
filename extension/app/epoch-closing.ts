/**
 * Closing epochs: when an epoch has ended, its true tallies become a clipped, noised, signed
 * Report in the outbox, and the tallies are deleted — in one transaction, so an epoch is reported
 * exactly once. A report is made for every ended epoch since consent while at least one category
 * is on, even one with nothing counted: a missing report would tell the union "no activity".
 */
import { emptyEpoch, epochStartOf } from '../aggregator/epochs.ts';
import { reportCounts } from '../aggregator/report-counts.ts';
import { isCategoryEnabled } from '../consent/consent-rules.ts';
import { outboxRecord } from '../outbox/outbox.ts';
import { buildReport, serialiseSignedReport, signReport } from '../report/build-report.ts';
import { withLock } from '../storage/database.ts';
import type { EpochRecord } from '../storage/schema.ts';
import { domainOf } from './app-deps.ts';
import type { Ctx } from './context.ts';
import { reanchorAttention } from './recording.ts';

/** Reports older than the union's acceptance window (DESIGN §3, 7 days) are not made. */
export const REPORT_WINDOW_SECONDS = 7 * 86_400;

/** Categories a report carries: listed by the config and switched on by the member. */
export function reportedCategories(ctx: Ctx): number[] {
  const config = ctx.state.config?.signed.config;
  if (!config || ctx.state.consent.givenAt === null) return [];
  return config.categories
    .map((c) => c.id)
    .filter((id) => isCategoryEnabled(ctx.state.consent, id));
}

export interface CloseResult {
  reported: number[];
  dropped: number[];
}

/** Closes every epoch that ended by `nowMs` (normally now; the e2e hook passes the epoch end). */
export async function closeEndedEpochs(ctx: Ctx, nowMs: number): Promise<CloseResult> {
  return withLock('epochs', async () => {
    const result: CloseResult = { reported: [], dropped: [] };
    const held = ctx.state.config;
    if (!held) return result;
    const { epochSeconds, version, privacy } = held.signed.config;
    // Credit the running span up to now, so nothing after this lands in a closed epoch.
    await reanchorAttention(ctx);
    const current = epochStartOf(nowMs, epochSeconds);

    const tx = ctx.db.transaction(['state', 'epochs'], 'readwrite');
    const state = tx.objectStore('state');
    const previousClosedBefore = ((await state.get('closed-before')) as number | undefined) ?? 0;
    const closedBefore = Math.max(previousClosedBefore, current);
    await state.put(closedBefore, 'closed-before');
    const stored = (await tx.objectStore('epochs').getAll()).filter(
      (e) => e.epochStart < closedBefore,
    );
    await tx.done;

    const categories = reportedCategories(ctx);
    const byStart = new Map<number, EpochRecord>(stored.map((e) => [e.epochStart, e]));
    if (categories.length > 0 && ctx.state.consent.givenAt !== null) {
      // Every ended epoch since consent (within the union's window) gets a report.
      const oldest = Math.max(
        previousClosedBefore,
        epochStartOf(ctx.state.consent.givenAt, epochSeconds),
        current - REPORT_WINDOW_SECONDS,
      );
      for (let start = oldest; start < closedBefore; start += epochSeconds) {
        if (!byStart.has(start)) byStart.set(start, emptyEpoch(start, epochSeconds));
      }
    }

    const member = ctx.state.address;
    const domain = domainOf(ctx.deps.settings);
    for (const record of [...byStart.values()].sort((a, b) => a.epochStart - b.epochStart)) {
      const tooOld = record.epochStart < current - REPORT_WINDOW_SECONDS;
      if (categories.length === 0 || tooOld) {
        await ctx.db.delete('epochs', record.epochStart);
        result.dropped.push(record.epochStart);
        continue;
      }
      const counts = reportCounts(record, categories, {
        privacy,
        noise: ctx.state.noise,
        random: ctx.deps.random,
      });
      const report = buildReport({
        member,
        epochStart: record.epochStart,
        epochSeconds: record.epochSeconds,
        configVersion: version,
        counts,
      });
      const body = serialiseSignedReport(await signReport(ctx.vault, domain, report));
      const write = ctx.db.transaction(['epochs', 'outbox'], 'readwrite');
      const outbox = write.objectStore('outbox');
      // First one wins, as on the union: an epoch is never reported with two contents.
      if ((await outbox.getKey(record.epochStart)) === undefined) {
        await outbox.add(
          outboxRecord({ epochStart: record.epochStart, member, body }, ctx.deps.now()),
        );
      }
      await write.objectStore('epochs').delete(record.epochStart);
      await write.done;
      result.reported.push(record.epochStart);
    }
    return result;
  });
}
