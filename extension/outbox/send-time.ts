/**
 * When a closed report is first sent (issue 15 item 4): never right at the epoch end or right at
 * browser start, which would tell the union when each member's browser runs and make every member
 * arrive in the same second. Each report waits a delay drawn uniformly from [0, D] after its epoch
 * is closed, with D = min(6 h, epoch length): a report is sent within one epoch length of being
 * closed, well inside the union's acceptance window (7 days by default). The delay is drawn once
 * and stored in the outbox record (`nextAttemptAt`), so a worker restart keeps it; it depends on
 * nothing the member did.
 *
 * A send time that passed while the browser was closed would otherwise make the report go the
 * moment the browser starts again: such a missed first attempt gets a fresh uniform delay instead,
 * as long as the new time stays in the first half of the acceptance window (after that it goes at
 * once, so it is not lost).
 */
import { DEFAULT_ACCEPTANCE_WINDOW_SECONDS } from '../protocol/report-rules.ts';
import type { OutboxRecord } from '../storage/schema.ts';

/** The longest wait before a report's first attempt, for epochs of six hours or more. */
export const MAX_SEND_DELAY_MS = 6 * 3_600_000;

/** A first attempt this late was missed (the worker could not run at its time), not delayed. */
export const MISSED_AFTER_MS = 5 * 60_000;

/** D = min(6 h, epoch length): short (development) epochs send within one epoch length. */
export function sendDelayCeilingMs(epochSeconds: number): number {
  return Math.min(MAX_SEND_DELAY_MS, epochSeconds * 1000);
}

/** `fromMs` plus a whole number of milliseconds drawn uniformly from [0, D]. */
export function drawSendAt(fromMs: number, epochSeconds: number, random: () => number): number {
  return fromMs + Math.floor(random() * (sendDelayCeilingMs(epochSeconds) + 1));
}

/**
 * A new send time for a never-attempted report whose time was missed, or null to send it now
 * (not missed, already attempted, or too close to the end of the acceptance window to wait).
 */
export function redrawMissedSendAt(
  record: Pick<OutboxRecord, 'attempts' | 'nextAttemptAt' | 'epochStart' | 'epochSeconds'>,
  nowMs: number,
  random: () => number,
): number | null {
  const { epochSeconds } = record;
  if (record.attempts > 0 || epochSeconds === undefined) return null;
  if (nowMs - record.nextAttemptAt <= MISSED_AFTER_MS) return null;
  const epochEndMs = (record.epochStart + epochSeconds) * 1000;
  const latest = epochEndMs + (DEFAULT_ACCEPTANCE_WINDOW_SECONDS * 1000) / 2;
  if (nowMs + sendDelayCeilingMs(epochSeconds) > latest) return null;
  return drawSendAt(nowMs, epochSeconds, random);
}
