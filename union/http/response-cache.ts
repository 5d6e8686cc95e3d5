/**
 * A short cache for public reads that reach the chain node or scan tables. Identical requests
 * in flight share one computation; a success is kept for `ttlMs` on the injected clock; failures
 * are never kept (the next request tries again). Bounded: the oldest entries go first.
 */
export interface ResponseCacheOptions {
  /** 0 switches caching off (requests in flight are still shared). */
  ttlMs: number;
  maxEntries: number;
  now: () => number;
}

interface Entry<T> {
  value: Promise<T>;
  /** When the value expires; Infinity while it is still being computed. */
  expiresAt: number;
}

/** Each key always holds one kind of value: the caller's key scheme keeps `get<T>` honest. */
export class ResponseCache {
  private readonly entries = new Map<string, Entry<unknown>>();

  constructor(private readonly options: ResponseCacheOptions) {}

  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const now = this.options.now();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > now) return hit.value as Promise<T>;
    if (hit) this.entries.delete(key);
    const value = compute();
    const entry: Entry<unknown> = { value, expiresAt: Infinity };
    this.entries.set(key, entry);
    this.evict();
    entry.value.then(
      () => {
        if (this.entries.get(key) !== entry) return;
        if (this.options.ttlMs > 0) entry.expiresAt = this.options.now() + this.options.ttlMs;
        else this.entries.delete(key);
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return value;
  }

  /** Drops one key, or every key when none is given. */
  invalidate(key?: string): void {
    if (key === undefined) this.entries.clear();
    else this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(): void {
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.options.maxEntries) return;
      this.entries.delete(key);
    }
  }
}

export interface ReadCaches {
  /** Earnings and proofs, keyed `earnings:<address>` / `proof:<address>`. */
  member: ResponseCache;
  /** The product summary and public samples. */
  product: ResponseCache;
}

export function createReadCaches(
  ttl: { memberSeconds: number; productSeconds: number },
  now: () => number,
): ReadCaches {
  return {
    member: new ResponseCache({ ttlMs: ttl.memberSeconds * 1000, maxEntries: 10_000, now }),
    product: new ResponseCache({ ttlMs: ttl.productSeconds * 1000, maxEntries: 32, now }),
  };
}
