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
