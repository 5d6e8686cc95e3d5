/**
 * The product's adapter around the pure core (union/product): a job that, for every closed epoch
 * (end + grace ≤ now), reads the accepted reports, runs `aggregateEpoch` with the stored configs,
 * `reviseEpoch` against the stored publication, and stores a new revision when anything visible
 * changed. An epoch is recomputed only when its report count moved (reports are never deleted),
 * so a run over an unchanged database reads one small GROUP BY. Listeners (the SSE feed) hear
 * every new publication. Nothing member-level is stored or emitted.
 */
import { signedConfigSchema, type UnionConfig } from '../../extension/protocol/config.ts';
import type { Db } from '../db/db.ts';
import {
  aggregateEpoch,
  configInForce,
  epochRows,
  reviseEpoch,
  type ProductRow,
  type PublishedEpoch,
} from '../product/index.ts';
import { productRepo } from '../repo/product-repo.ts';

export interface ProductServiceOptions {
  /** Seconds after an epoch ends before it is aggregated. */
  graceSeconds: number;
  /** Run the job every this many ms; 0 = only on demand. */
  intervalMs: number;
  now: () => number;
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

  /** Runs the aggregation once (one run at a time); resolves to the epochs (re)published. */
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
    const cutoff = Math.floor(nowMs / 1000) - this.options.graceSeconds;
    const closed = await productRepo.closedEpochs(this.db, cutoff);
    const known = await productRepo.latestCounts(this.db);
    const todo = closed.filter((e) => known.get(e.epochStart)?.reports !== e.reports);
    if (todo.length === 0) return [];
    const configs = await this.configs();
    const published: PublishedEpoch[] = [];
    for (const { epochStart, epochSeconds } of todo) {
      const reports = await productRepo.epochReports(this.db, epochStart);
      let inForce: ReturnType<typeof configInForce>;
      try {
        inForce = configInForce(configs, epochStart, epochSeconds);
      } catch (error) {
        // An epoch that closed before any config was issued has no privacy parameters to
        // publish under: skip it (its reports stay stored) instead of stopping the whole pass.
        if ((error as { code?: unknown }).code === 'PRODUCT_NO_CONFIG_IN_FORCE') continue;
        throw error;
      }
      const aggregate = aggregateEpoch({
        epochStart,
        epochSeconds,
        reports,
        configs,
        configInForce: inForce,
      });
      const previous = await productRepo.latest(this.db, epochStart);
      const outcome = reviseEpoch(previous?.epoch, aggregate);
      if (outcome.changed) {
        await productRepo.insert(this.db, outcome.epoch, reports.length, new Date(nowMs));
        published.push(outcome.epoch);
      } else {
        await productRepo.setReportCount(
          this.db,
          epochStart,
          outcome.epoch.revision,
          reports.length,
        );
      }
    }
    for (const epoch of published) {
      const event = { epoch, rows: epochRows(epoch) };
      for (const listener of this.listeners) listener(event);
    }
    return published;
  }

  /** The latest revision of every epoch in range, as product rows, read a page at a time. */
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
