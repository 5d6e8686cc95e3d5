/**
 * Closing epochs: when an epoch has ended, its true tallies become a clipped, noised, signed
 * Report in the outbox — or, under a config with an aggregation block, a DAP measurement whose
 * upload is built at its first send (`dap/report-part.ts`) — and the tallies are deleted — in one transaction, so an epoch is reported
 * exactly once. Which epochs are reported is `planClose`'s pure decision; each report waits for
 * its own random send time (`send-time.ts`).
 */
import type { IDBPObjectStore } from 'idb';

import { emptyEpoch, epochStartOf } from '../aggregator/epochs.ts';
import { reportCounts } from '../aggregator/report-counts.ts';
import { isCategoryEnabled } from '../consent/consent-rules.ts';
import { dapReportPart } from '../dap/report-part.ts';
import { outboxRecord } from '../outbox/outbox.ts';
import { drawSendAt } from '../outbox/send-time.ts';
import { buildReport, serialiseSignedReport, signReport } from '../report/build-report.ts';
import { withLock } from '../storage/database.ts';
import type { CrowdsellSchema, EpochRecord, OutboxRecord, StoreName } from '../storage/schema.ts';
import { domainOf } from './app-deps.ts';
import { planClose, type PlannedEpoch } from './close-plan.ts';
import type { Ctx } from './context.ts';
import { spendEpochBudget } from './privacy-budget.ts';
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

    // The late-credit barrier moves first: nothing can be added to an epoch being closed.
    const tx = ctx.db.transaction(['state', 'epochs'], 'readwrite');
    const state = tx.objectStore('state');
    const previousClosedBefore = ((await state.get('closed-before')) as number | undefined) ?? 0;
    const reportedBefore =
      ((await state.get('reported-before')) as number | undefined) ?? previousClosedBefore;
    const closedBefore = Math.max(previousClosedBefore, current);
    await state.put(closedBefore, 'closed-before');
    const stored = await tx.objectStore('epochs').getAll();
    await tx.done;

    const categories = reportedCategories(ctx);
    const givenAt = ctx.state.consent.givenAt;
    const plan = planClose({
      current,
      closedBefore,
      reportedBefore,
      stored,
      epochSeconds,
      consentEpochStart: givenAt === null ? null : epochStartOf(givenAt, epochSeconds),
      reporting: categories.length > 0 && givenAt !== null,
      windowSeconds: REPORT_WINDOW_SECONDS,
    });
    const byStart = new Map<number, EpochRecord>(stored.map((e) => [e.epochStart, e]));
    const member = ctx.state.address;
    const domain = domainOf(ctx.deps.settings);
    for (const planned of plan) {
      let entry: OutboxRecord | null = null;
      // The budget is charged before the report is made; over a cap, the epoch is dropped.
      const charged =
        planned.action === 'report' && (await spendEpochBudget(ctx, planned, held.signed.config));
      if (charged) {
        const record =
          byStart.get(planned.epochStart) ?? emptyEpoch(planned.epochStart, planned.epochSeconds);
        const { epochStart, epochSeconds: length } = record;
        const noise = { noise: ctx.state.noise, random: ctx.deps.random };
        // Under an aggregation block only the DAP report is made: no plain counts leave.
        const content = held.signed.config.aggregation
          ? { body: '', dap: dapReportPart(held.signed.config, record, categories, noise) }
          : {
              body: serialiseSignedReport(
                await signReport(
                  ctx.vault,
                  domain,
                  buildReport({
                    member,
                    epochStart,
                    epochSeconds: length,
                    configVersion: version,
                    counts: reportCounts(record, categories, { privacy, ...noise }),
                  }),
                ),
              ),
            };
        const closedAt = ctx.deps.now();
        entry = outboxRecord(
          { epochStart, epochSeconds: length, member, ...content },
          closedAt,
          drawSendAt(closedAt, length, ctx.deps.random),
        );
      }
      await settleEpoch(ctx, planned, entry);
      (entry ? result.reported : result.dropped).push(planned.epochStart);
    }
    await advanceReportedBefore(ctx.db.transaction('state', 'readwrite').store, closedBefore);
    return result;
  });
}

type StateStore = IDBPObjectStore<CrowdsellSchema, StoreName[], 'state', 'readwrite'>;

async function advanceReportedBefore(state: StateStore, to: number): Promise<void> {
  const before = ((await state.get('reported-before')) as number | undefined) ?? 0;
  if (to > before) await state.put(to, 'reported-before');
}

/**
 * Queues the epoch's report (if any), deletes its tallies and moves `reported-before` past it,
 * in one transaction: an epoch is reported exactly once, and a killed worker leaves none out.
 */
async function settleEpoch(
  ctx: Ctx,
  planned: PlannedEpoch,
  entry: OutboxRecord | null,
): Promise<void> {
  const write = ctx.db.transaction(['epochs', 'outbox', 'state'], 'readwrite');
  const outbox = write.objectStore('outbox');
  // First one wins, as on the union: an epoch is never reported with two contents.
  if (entry && (await outbox.getKey(entry.epochStart)) === undefined) await outbox.add(entry);
  await write.objectStore('epochs').delete(planned.epochStart);
  await advanceReportedBefore(
    write.objectStore('state'),
    planned.epochStart + planned.epochSeconds,
  );
  await write.done;
}
