/** Turns a refused token-bucket take into a 429 with Retry-After. */
import { CrowdsellError } from '../../extension/protocol/errors.ts';
import type { TokenBuckets } from '../domain/token-bucket.ts';

export class RateLimitedError extends CrowdsellError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', `Too many requests; retry in ${retryAfterSeconds} s.`);
  }
}

/** `key` is a function so a switched-off limit costs nothing (not even the peer-address lookup). */
export function enforce(buckets: TokenBuckets, key: () => string, cost = 1): void {
  if (!buckets.enabled) return;
  const waitMs = buckets.take(key(), cost);
  if (waitMs > 0) throw new RateLimitedError(Math.max(1, Math.ceil(waitMs / 1000)));
}

/**
 * Admits up to `wanted` units (reports of a batch) against every bucket for one key, and takes
 * that many from each: the first items of a batch go through, the rest are refused one by one.
 * None admitted → RateLimitedError for the whole request, with the longest wait.
 */
export function admitUpTo(buckets: readonly TokenBuckets[], key: string, wanted: number): number {
  const admitted = Math.min(wanted, ...buckets.map((b) => b.available(key)));
  if (admitted >= 1) {
    for (const b of buckets) b.take(key, admitted);
    return admitted;
  }
  const waitMs = Math.max(0, ...buckets.map((b) => (b.available(key) < 1 ? b.take(key, 1) : 0)));
  throw new RateLimitedError(Math.max(1, Math.ceil(waitMs / 1000)));
}
