/**
 * Retry timing for the outbox: exponential backoff with jitter ("equal jitter": half the delay
 * fixed, half random), so members who went offline together do not retry in lockstep.
 */
export const RETRY_BASE_MS = 30_000;
export const RETRY_MAX_MS = 6 * 3_600_000;

/** Delay before attempt number `attempts + 1`, after `attempts` failed ones (≥ 1). */
export function retryDelayMs(attempts: number, random: () => number): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  const ceiling = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** `Retry-After` as seconds or an HTTP date; null if absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs: number): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, RETRY_MAX_MS);
  const date = Date.parse(header);
  if (Number.isNaN(date)) return null;
  return Math.min(Math.max(0, date - nowMs), RETRY_MAX_MS);
}
