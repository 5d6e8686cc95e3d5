/**
 * Which time-interval queries a task can answer (both aggregators apply the same rule): an
 * interval that starts and lasts whole multiples of the time precision, at most a year of
 * buckets — so one authenticated request cannot make an aggregator create or scan millions of
 * bucket rows. Anything else is the draft's `batchInvalid`.
 */
import type { Interval } from './batch.ts';

/** A batch interval spans at most this many time-precision buckets (a year of days). */
export const MAX_BATCH_BUCKETS = 366;

/** Why `interval` is not a batch this task can collect (the problem's detail), or null. */
export function invalidBatchInterval(
  interval: Interval,
  timePrecisionSeconds: number,
): string | null {
  const { start, duration } = interval;
  if (
    duration <= 0 ||
    start % timePrecisionSeconds !== 0 ||
    duration % timePrecisionSeconds !== 0 ||
    duration / timePrecisionSeconds > MAX_BATCH_BUCKETS
  ) {
    return `A batch interval starts and lasts whole multiples of ${timePrecisionSeconds} s, at most ${MAX_BATCH_BUCKETS} of them.`;
  }
  return null;
}
