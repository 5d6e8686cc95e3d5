/**
 * Signed configs: publishing (the shared acceptance rules from extension/protocol/config.ts,
 * plus "no rollback" against the database under a lock) and a read-through cache. Stored configs
 * never change, so a version once read is cached for good; the latest version is re-read at most
 * once a second, which is how a config published through another union instance shows up here.
 */
import {
  acceptSignedConfig,
  configHash,
  signedConfigSchema,
  type SignedConfig,
} from '../../extension/protocol/config.ts';
import { canonicalJson } from '../../extension/protocol/canonical-json.ts';
import { CrowdsellError } from '../../extension/protocol/errors.ts';
import type { UnionDomain } from '../../extension/protocol/eip712.ts';
import type { PrivacyLimits } from '../../extension/protocol/privacy-budget.ts';
import type { Db } from '../db/db.ts';
import { configsRepo, type ConfigRow } from '../repo/configs-repo.ts';

export interface StoredConfig {
  version: number;
  configHash: string;
  signed: SignedConfig;
  /** Canonical JSON of `signed`, served as is. */
  json: string;
}

const LATEST_TTL_MS = 1000;
const CONFIG_LOCK = 0x636f6e666967; // "config"
const MAX_MISSES = 10_000;

function fromRow(row: ConfigRow): StoredConfig {
  const signed = signedConfigSchema.parse(JSON.parse(row.signed));
  return { version: row.version, configHash: row.configHash, signed, json: row.signed };
}

export class ConfigService {
  private readonly byVersionCache = new Map<number, StoredConfig>();
  private readonly misses = new Set<number>();
  private latest: StoredConfig | null = null;
  private latestReadAt = -Infinity;
  private latestRead: Promise<StoredConfig | null> | null = null;

  constructor(
    private readonly db: Db,
    private readonly options: {
      domain: UnionDomain;
      admin: string;
      now: () => number;
      /** The same limits the extension build applies (store unless development). */
      limits: PrivacyLimits;
    },
  ) {}

  async current(): Promise<StoredConfig | null> {
    if (this.options.now() - this.latestReadAt < LATEST_TTL_MS) return this.latest;
    this.latestRead ??= configsRepo
      .latest(this.db)
      .then((row) => {
        this.latest = row ? this.remember(fromRow(row)) : null;
        this.latestReadAt = this.options.now();
        return this.latest;
      })
      .finally(() => {
        this.latestRead = null;
      });
    return this.latestRead;
  }

  /** The config with this version, or null when the union never accepted one. */
  async byVersion(version: number): Promise<StoredConfig | null> {
    const cached = this.byVersionCache.get(version);
    if (cached) return cached;
    const latest = await this.current();
    // Versions only grow, so one above the latest cannot exist yet, and a gap below it never will.
    if (!latest || version > latest.version || this.misses.has(version)) return null;
    const row = await configsRepo.byVersion(this.db, version);
    if (row) return this.remember(fromRow(row));
    if (this.misses.size >= MAX_MISSES) this.misses.clear();
    this.misses.add(version);
    return null;
  }

  /**
   * The config in force for an epoch ending at `epochEnd` (Unix seconds): the highest version
   * issued before it — the product's rule (union/product/config-in-force.ts), walked down from the
   * latest version through the cache, so a recent epoch costs one lookup. Null when none was.
   */
  async inForceAt(epochEnd: number): Promise<StoredConfig | null> {
    for (let v = (await this.current())?.version ?? 0; v >= 1; v--) {
      const stored = await this.byVersion(v);
      if (stored && stored.signed.config.issuedAt < epochEnd) return stored;
    }
    return null;
  }

  /** Verifies and stores a signed config; throws `CrowdsellError` (CONFIG_*) when refused. */
  async publish(input: unknown): Promise<StoredConfig> {
    const stored = await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [CONFIG_LOCK]);
      const latest = await configsRepo.latest(tx);
      const signed = acceptSignedConfig(input, {
        domain: this.options.domain,
        admin: this.options.admin,
        currentVersion: latest?.version,
        previous: latest ? fromRow(latest).signed.config : undefined,
        limits: this.options.limits,
      });
      const row: ConfigRow = {
        version: signed.config.version,
        configHash: configHash(signed.config),
        signed: canonicalJson(signed),
      };
      if (!(await configsRepo.insert(tx, row))) {
        throw new CrowdsellError(
          'CONFIG_ROLLBACK',
          `Config version ${row.version} already exists.`,
        );
      }
      return fromRow(row);
    });
    this.remember(stored);
    this.latest = stored;
    this.latestReadAt = this.options.now();
    return stored;
  }

  private remember(config: StoredConfig): StoredConfig {
    this.byVersionCache.set(config.version, config);
    this.misses.delete(config.version);
    return config;
  }
}
