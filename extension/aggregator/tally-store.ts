/**
 * Persisting tallies: every update is written to IndexedDB before the handler returns (the service
 * worker may be stopped at any moment), each in one transaction so a visit or a stretch of active
 * time is counted once or not at all.
 */
import type { CrowdsellDb } from '../storage/database.ts';
import type { AttentionSpan, EpochRecord } from '../storage/schema.ts';
import { addActiveMs, addVisit, emptyEpoch, epochStartOf, splitAtEpochs } from './epochs.ts';

/**
 * The longest stretch credited without a fresh event. A heartbeat alarm re-anchors the span every
 * minute, so a longer gap means the worker or the browser was gone and the time is not trusted.
 */
export const MAX_SPAN_MS = 3 * 60_000;

export async function recordVisit(
  db: CrowdsellDb,
  nowMs: number,
  epochSeconds: number,
  category: number,
): Promise<void> {
  const epochStart = epochStartOf(nowMs, epochSeconds);
  const tx = db.transaction(['state', 'epochs'], 'readwrite');
  const epochs = tx.objectStore('epochs');
  const closedBefore =
    ((await tx.objectStore('state').get('closed-before')) as number | undefined) ?? 0;
  if (epochStart >= closedBefore) {
    const record = (await epochs.get(epochStart)) ?? emptyEpoch(epochStart, epochSeconds);
    await epochs.put(addVisit(record, category));
  }
  await tx.done;
}

export interface AttentionChange {
  nowMs: number;
  epochSeconds: number;
  /** Where the member's attention is from now on, or null (idle, unfocused, not counted). */
  next: number | null;
  /** If the span really ended earlier than now (idle is detected after the idle interval). */
  endedAtMs?: number | undefined;
}

/**
 * Closes the running span (crediting its time, split at epoch boundaries, capped at
 * `MAX_SPAN_MS`) and starts the next one, in one transaction over `state` and `epochs`.
 */
export async function changeAttention(db: CrowdsellDb, change: AttentionChange): Promise<void> {
  const tx = db.transaction(['state', 'epochs'], 'readwrite');
  const state = tx.objectStore('state');
  const epochs = tx.objectStore('epochs');
  const span = (await state.get('attention')) as AttentionSpan | null | undefined;
  const closedBefore = ((await state.get('closed-before')) as number | undefined) ?? 0;
  if (span) {
    const end = Math.min(change.endedAtMs ?? change.nowMs, change.nowMs, span.since + MAX_SPAN_MS);
    for (const slice of splitAtEpochs(span.since, Math.max(span.since, end), change.epochSeconds)) {
      if (slice.epochStart < closedBefore) continue;
      const record: EpochRecord =
        (await epochs.get(slice.epochStart)) ?? emptyEpoch(slice.epochStart, change.epochSeconds);
      await epochs.put(addActiveMs(record, span.category, slice.ms));
    }
  }
  const next: AttentionSpan | null =
    change.next === null ? null : { category: change.next, since: change.nowMs };
  if (next !== null || span) await state.put(next, 'attention');
  await tx.done;
}

/** Drops a span left open by a browser that was closed (its end is unknown, so it is not counted). */
export async function dropAttention(db: CrowdsellDb): Promise<void> {
  await db.put('state', null, 'attention');
}

export async function epochsEndingBy(db: CrowdsellDb, nowMs: number): Promise<EpochRecord[]> {
  const all = await db.getAll('epochs');
  return all.filter((e) => (e.epochStart + e.epochSeconds) * 1000 <= nowMs);
}
