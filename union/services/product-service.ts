/**
 * The product's adapter around the pure core (union/product): a job that publishes every epoch
 * ONCE, after its acceptance window closed — `epoch end + acceptanceWindowSeconds +
 * graceSeconds < now`, when the union refuses its reports (`REPORT_EPOCH_TOO_OLD`, the rule in
 * extension/protocol/report-rules.ts) and the grace has let reports accepted just before the
 * window closed reach the database. It reads the epoch's accepted reports, runs `aggregateEpoch`
 * with the stored configs and stores the result; a published epoch is never aggregated again, so
 * there are no revisions for a researcher to difference. A report stored after its epoch was
 * published (a race of seconds) counts for its member's activity, never for the product.
 * Listeners (the SSE feed) hear each epoch once, from the instance that stored it. Nothing
 * member-level is stored or emitted.
 */
import {
  MAX_EPOCH_SECONDS,
  signedConfigSchema,
  type UnionConfig,
} from '../../extension/protocol/config.ts';
import type { Db } from '../db/db.ts';
import {
  aggregateEpoch,
  configInForce,
  epochRows,
  type ProductRow,
  type PublishedEpoch,
} from '../product/index.ts';
import { productRepo } from '../repo/product-repo.ts';

export interface ProductServiceOptions {
  /** The union's acceptance window: an epoch is published only once it has passed. */
  acceptanceWindowSeconds: number;
  /** Seconds after the acceptance window closed before the epoch is published. */
  graceSeconds: number;
  /** Run the job every this many ms; 0 = only on demand. */
  intervalMs: number;
  now: () => number;
  /**
   * The DAP side (issue 17), run in the same pass: epochs under an aggregation block are
   * collected from the leader and published here, and contributions recorded for payouts.
   */
  dap?: DapProductJobs | undefined;
}

export interface DapProductJobs {
  /** Publishes the DAP epochs that became due (epoch end ≤ `cutoff`); resolves to them. */
  collect(
    nowMs: number,
    configs: readonly UnionConfig[],
    cutoff: number,
  ): Promise<PublishedEpoch[]>;
  /** Records contributions both aggregators finished as members' activity. */
  recordActivity(nowMs: number, configs: readonly UnionConfig[]): Promise<void>;
}

export interface PublishedEvent {
  epoch: PublishedEpoch;
  rows: ProductRow[];
}

export interface RowQuery {
  /** Unix seconds, inclusive (epoch start). */
  from: number;
  /** Unix seconds, exclusive (epoch start). */
  to: number;
  /** Category ids to keep; all when undefined. */
  categories?: ReadonlySet<number> | undefined;
}

const PAGE_EPOCHS = 200;

export class ProductService {
  private readonly listeners = new Set<(event: PublishedEvent) => void>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<PublishedEpoch[]> | null = null;
  private configCache: { count: number; configs: UnionConfig[] } | null = null;

  constructor(
    private readonly db: Db,
    private readonly options: ProductServiceOptions,
  ) {}

  /** Starts the timer (when `intervalMs` > 0); a failed run is reported to `onError`. */
  start(onError: (error: unknown) => void): void {
    if (this.options.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      this.aggregateNow().catch((error: unknown) => onError(error));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
    this.listeners.clear();
  }

  /** Subscribes to new publications; returns the unsubscribe function. */
  onPublished(listener: (event: PublishedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs the job once (one run at a time); resolves to the epochs it published. */
  aggregateNow(): Promise<PublishedEpoch[]> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async configs(): Promise<UnionConfig[]> {
    const stored = await productRepo.allConfigs(this.db);
    if (this.configCache?.count !== stored.length) {
      this.configCache = {
        count: stored.length,
        configs: stored.map((json) => signedConfigSchema.parse(JSON.parse(json)).config),
      };
    }
    return this.configCache.configs;
  }

  private async run(): Promise<PublishedEpoch[]> {
    const nowMs = this.options.now();
    const { acceptanceWindowSeconds, graceSeconds } = this.options;
    // Strictly after: at end + window the union still accepts the epoch's reports.
    const cutoff = Math.floor(nowMs / 1000) - acceptanceWindowSeconds - graceSeconds - 1;
    const todo = await productRepo.unpublishedEpochs(this.db, cutoff, MAX_EPOCH_SECONDS);
    const { dap } = this.options;
    if (todo.length === 0 && !dap) return [];
    const configs = await this.configs();
    const published: PublishedEpoch[] = [];
    for (const { epochStart, epochSeconds } of todo) {
      let inForce: ReturnType<typeof configInForce>;
      try {
        inForce = configInForce(configs, epochStart, epochSeconds);
      } catch (error) {
        // An epoch that closed before any config was issued has no privacy parameters to
        // publish under: skip it (its reports stay stored) instead of stopping the whole pass.
        if ((error as { code?: unknown }).code === 'PRODUCT_NO_CONFIG_IN_FORCE') continue;
        throw error;
      }
      // Under an aggregation block the epoch is the DAP collector's (no plain report is accepted
      // for it; a stray one stored before the block counts for activity only).
      if (configs.find((c) => c.version === inForce)?.aggregation) continue;
      const epoch = aggregateEpoch({
        epochStart,
        epochSeconds,
        reports: await productRepo.epochReports(this.db, epochStart),
        configs,
        configInForce: inForce,
      });
      if (await productRepo.insert(this.db, epoch, new Date(nowMs))) published.push(epoch);
    }
    // A DAP failure (no collector secrets, a leader answer that cannot be opened) is reported
    // after listeners have heard of what was published.
    let failure: { error: unknown } | null = null;
    if (dap) {
      try {
        published.push(...(await dap.collect(nowMs, configs, cutoff)));
        await dap.recordActivity(nowMs, configs);
      } catch (error) {
        failure = { error };
      }
    }
    for (const epoch of published) {
      const event = { epoch, rows: epochRows(epoch) };
      for (const listener of this.listeners) listener(event);
    }
    if (failure) throw failure.error;
    return published;
  }

  /** Every published epoch in range, as product rows, read a page at a time. */
  async *rows(query: RowQuery): AsyncGenerator<ProductRow> {
    let from = query.from;
    for (;;) {
      const page = await productRepo.page(this.db, from, query.to, PAGE_EPOCHS);
      for (const epoch of page) {
        for (const row of epochRows(epoch)) {
          if (!query.categories || query.categories.has(row.category_id)) yield row;
        }
      }
      if (page.length < PAGE_EPOCHS) return;
      from = page[page.length - 1]!.epochStart + 1;
    }
  }

  summary() {
    return productRepo.summary(this.db);
  }
}
