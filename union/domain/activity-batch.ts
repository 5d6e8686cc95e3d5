/**
 * Membership activity is published in batches, not per report (issue 15). A member's accepted
 * report makes it active from the END of the batch it arrived in — by default the UTC day — so
 * the accounting log (GET /v1/accounting/events, replayed by `union validate`) says only "this
 * address reported some time that day", and the batch is released once the day is over (the
 * revenue watcher applies a change only when a confirmed block is stamped at or after it).
 * Linking a report to the address that sent it would need the report's arrival time; the log no
 * longer has it.
 */

/** One UTC day: batches are aligned to the Unix epoch, so daily batches end at 00:00 UTC. */
export const DEFAULT_ACTIVITY_BATCH_SECONDS = 86_400;

/** The end (ms) of the activity batch holding the instant `atMs`. */
export function activityBatchEnd(atMs: number, batchSeconds: number): number {
  if (!(Number.isInteger(batchSeconds) && batchSeconds > 0)) {
    throw new RangeError(`an activity batch must be a whole number of seconds (${batchSeconds})`);
  }
  const batchMs = batchSeconds * 1000;
  return (Math.floor(atMs / batchMs) + 1) * batchMs;
}
