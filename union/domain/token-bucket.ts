/**
 * In-memory token buckets for rate limits (per IP, per member). Each key holds up to `capacity`
 * tokens, refilled at `capacity` per `periodMs`. Keys that have refilled completely are swept, so
 * memory stays bounded by the keys active within one period. Per instance: behind a load
 * balancer each union instance enforces its own share.
 */
export interface BucketOptions {
  /** Tokens per period, also the burst size. 0 switches the limit off. */
  capacity: number;
  periodMs: number;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly ratePerMs: number;
  private readonly now: () => number;
  private lastSweep: number;

  constructor(private readonly options: BucketOptions) {
    this.ratePerMs = options.capacity / options.periodMs;
    this.now = options.now ?? Date.now;
    this.lastSweep = this.now();
  }

  get enabled(): boolean {
    return this.options.capacity > 0;
  }

  /** Whole tokens `key` could take now (Infinity when the limit is off); takes none. */
  available(key: string): number {
    if (!this.enabled) return Infinity;
    const bucket = this.buckets.get(key);
    if (!bucket) return this.options.capacity;
    const tokens = bucket.tokens + (this.now() - bucket.at) * this.ratePerMs;
    return Math.floor(Math.min(this.options.capacity, tokens));
  }

  /** Takes `cost` tokens; returns 0 when allowed, else the milliseconds until it would be. */
  take(key: string, cost = 1): number {
    if (!this.enabled) return 0;
    const now = this.now();
    this.sweep(now);
    const bucket = this.buckets.get(key) ?? { tokens: this.options.capacity, at: now };
    bucket.tokens = Math.min(
      this.options.capacity,
      bucket.tokens + (now - bucket.at) * this.ratePerMs,
    );
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return 0;
    }
    return Math.ceil((cost - bucket.tokens) / this.ratePerMs);
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < this.options.periodMs) return;
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * this.ratePerMs >= this.options.capacity) {
        this.buckets.delete(key);
      }
    }
  }

  get size(): number {
    return this.buckets.size;
  }
}
