/**
 * Options for `createUnionServer` / `startUnion`, validated with zod so a wrong value fails at
 * start with a sentence. Chain facts (chain id, DataUnion, admin and operator addresses) are
 * configuration here: deploying contracts and watching the chain belong to other parts.
 */
import { z } from 'zod';

import { signedConfigSchema } from '../../extension/protocol/config.ts';
import { DEFAULT_ACCEPTANCE_WINDOW_SECONDS } from '../../extension/protocol/report-rules.ts';
import { addressSchema } from '../../extension/protocol/wire.ts';
import type { Db } from '../db/db.ts';
import { DEFAULT_ACTIVITY_BATCH_SECONDS } from '../domain/activity-batch.ts';
import { collectorSecretsSchema } from '../collector/collector-secrets.ts';
import { resolveConfirmations } from './chain-confirmations.ts';
import { trustProxySchema } from './trust-proxy.ts';

/** The extension's stable id (manifest `key`), allowed by CORS out of the box. */
export const EXTENSION_ORIGIN = 'chrome-extension://mkmlalidlpmohlmcbeindcofjgoingdd';

const perMinute = z.number().int().min(0);
/** A token amount or wei figure as a decimal string (JSON numbers cannot hold them). */
const uint256 = z.string().regex(/^\d{1,78}$/, 'a decimal string of digits');

export const rateLimitsSchema = z.strictObject({
  /** Join and leave requests per IP per minute. */
  joinsPerIp: perMinute.default(30),
  /**
   * Reports per IP per minute: a single upload costs one, a batch one per report it carries
   * (each report is a signature recovery). The name predates per-report charging.
   */
  reportRequestsPerIp: perMinute.default(1200),
  /**
   * Signature recoveries per IP per second (reports, joins, leaves, withdrawals, sign-ins): caps
   * the CPU one client can make the union spend, whatever the per-minute figures allow.
   */
  recoveriesPerIpPerSecond: z.number().int().min(0).default(1000),
  /** Reads that reach the chain node or scan tables (earnings, proofs, product, sample) per IP per minute. */
  publicReadsPerIp: perMinute.default(120),
  /** Reports per member per minute (an outbox of a week of hourly epochs is 168). */
  reportsPerMember: perMinute.default(600),
  /** Admin and sign-in requests per IP per minute. */
  adminPerIp: perMinute.default(300),
});

const databaseSchema = z.discriminatedUnion('driver', [
  z.strictObject({
    driver: z.literal('pglite'),
    dataDir: z.string().min(1),
    loadDataDir: z.instanceof(Blob).optional(),
  }),
  z.strictObject({
    driver: z.literal('postgres'),
    url: z.string().min(1),
    poolSize: z.number().int().min(1).max(200).optional(),
  }),
]);

export const DEFAULT_LISTING = {
  name: 'Crowdsell browsing aggregates',
  description:
    'k-anonymous, de-biased aggregates of consenting members’ browsing by category and epoch.',
};

export const unionOptionsSchema = z.strictObject({
  chainId: z.number().int().min(1),
  /** DataUnion contract address: the EIP-712 `verifyingContract`. */
  dataUnion: addressSchema,
  admin: addressSchema,
  operator: addressSchema,
  /** Other contract addresses to publish in GET /v1/union (marketplace, token …). */
  contracts: z.record(z.string(), addressSchema).default({}),
  /** Where to store data; ignored when `db` is given. */
  database: databaseSchema.default({ driver: 'pglite', dataDir: './.crowdsell' }),
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(8787),
  /** The origin the console is served from (SIWE domain and URI); default http://host:port. */
  publicUrl: z.url().optional(),
  /** Extra CORS origins, besides the extension. */
  corsOrigins: z.array(z.string()).default([]),
  /** Proxies whose X-Forwarded-For is believed: false, a hop count, or addresses / CIDR ranges. */
  trustProxy: trustProxySchema.default(false),
  acceptanceWindowSeconds: z.number().int().min(60).default(DEFAULT_ACCEPTANCE_WINDOW_SECONDS),
  activityWindowSeconds: z
    .number()
    .int()
    .min(60)
    .default(7 * 86_400),
  /**
   * A report makes its member active from the end of the batch it arrived in (aligned to the
   * Unix epoch; default one UTC day), so the public accounting log never times a report.
   */
  activityBatchSeconds: z.number().int().min(1).default(DEFAULT_ACTIVITY_BATCH_SECONDS),
  sessionTtlSeconds: z.number().int().min(60).max(86_400).default(3600),
  bodyLimitBytes: z
    .number()
    .int()
    .min(1024)
    .default(64 * 1024),
  batchBodyLimitBytes: z
    .number()
    .int()
    .min(1024)
    .default(2 * 1024 * 1024),
  /** Longest a request may take to arrive, and a handler to answer (503 TIMEOUT). */
  requestTimeoutMs: z.number().int().min(100).default(30_000),
  /**
   * Short caches of public reads (0 = off): a member's earnings and proof (dropped when the
   * union relays or tracks that member's withdrawal), and the product summary and sample
   * (dropped when an epoch is published).
   */
  readCache: z
    .strictObject({
      memberSeconds: z.number().int().min(0).max(300).default(5),
      productSeconds: z.number().int().min(0).max(3600).default(30),
    })
    .default({ memberSeconds: 5, productSeconds: 30 }),
  rateLimits: rateLimitsSchema.default(rateLimitsSchema.parse({})),
  /** Worker threads for signature recovery; 0 recovers on the main thread. */
  recoverThreads: z.number().int().min(0).max(16).default(2),
  /** Largest group of reports written in one statement. */
  maxWriteBatch: z.number().int().min(1).max(10_000).default(1000),
  /**
   * Report groups committing at once on PostgreSQL (PGlite: always 1). One is fastest: the next
   * group gathers while the previous one commits, so groups grow with load (measured in
   * bench/ingest.ts: 1 beat 2 and 4 on throughput and on CPU per report).
   */
  writeConcurrency: z.number().int().min(1).max(32).default(1),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Published at start when the database holds no config yet (checked like PUT /v1/admin/config). */
  initialConfig: signedConfigSchema.optional(),
  /**
   * Accept configs under the development limits (one-minute epochs, k ≥ 2, no daily ε cap), as
   * development and e2e builds of the extension do: only the local union of `npm start` and tests
   * set it. Off, configs must meet the store limits (extension/protocol/privacy-budget.ts).
   */
  developmentPrivacyLimits: z.boolean().default(false),
  // monoplasma (issue 7)
  /** Revenue watcher, committer and withdrawal relay; without it none of them runs. */
  chain: z
    .strictObject({
      rpcUrl: z.string().min(1),
      /** The operator's private key (0x + 64 hex). Never logged. */
      operatorKey: z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'a 0x-prefixed 32-byte hex private key'),
      /** The revenue token (the DataUnion's ERC-20). */
      tokenAddress: addressSchema,
      /** Block of the DataUnion deployment: where the revenue watcher starts. */
      startBlock: z.number().int().min(0),
      /**
       * Blocks a transfer or transaction needs before it counts (1 = mined). Default: per chain
       * id (config/chain-confirmations.ts, docs/operations.md); below the chain's minimum the
       * union refuses to start unless `allowFewerConfirmations` is set.
       */
      confirmations: z.number().int().min(1).optional(),
      /** Accept fewer confirmations than the chain's documented minimum (reorg risk). */
      allowFewerConfirmations: z.boolean().default(false),
      /** Commit a new root at most this often (and only when something changed). */
      commitPeriodSeconds: z.number().int().min(1).default(3600),
      /** Revenue watcher poll interval; 0 = no timers (ticks on demand, for tests). */
      pollIntervalMs: z.number().int().min(0).default(5000),
      /** Gas estimate margin, percent. */
      gasMarginPercent: z.number().int().min(0).max(500).default(20),
      /**
       * Smallest payout the relay pays gas for, token base units (decimal string). Default: the
       * relay's gas at `relayGasPriceWei` valued at `tokenUnitsPerNativeCoin` when both are set,
       * else one whole token (domain/withdrawal-minimum.ts, docs/operations.md).
       */
      minWithdrawal: uint256.optional(),
      /** The gas price the operator budgets for a relayed withdrawal, wei (decimal string). */
      relayGasPriceWei: uint256.optional(),
      /**
       * What one native coin (10^18 wei) is worth in revenue-token base units (decimal string):
       * only the operator knows the value of an arbitrary ERC-20.
       */
      tokenUnitsPerNativeCoin: uint256.optional(),
      /**
       * Sybil damping: seconds of membership before a member earns (fixed when the books start).
       * Default 7 days; a local demo sets 0.
       */
      minMembershipAgeSeconds: z
        .number()
        .int()
        .min(0)
        .default(7 * 86_400),
      /** How often relayed withdrawals are reconciled with the chain; default: pollIntervalMs. */
      withdrawalCheckIntervalMs: z.number().int().min(0).optional(),
      /** A relayed transaction the node no longer knows counts as dropped after this long. */
      withdrawalDroppedAfterSeconds: z.number().int().min(1).default(300),
      /** Withdrawal requests per member per minute. */
      withdrawalsPerMember: perMinute.default(3),
    })
    .refine(
      (c) => (c.relayGasPriceWei === undefined) === (c.tokenUnitsPerNativeCoin === undefined),
      {
        message:
          'relayGasPriceWei and tokenUnitsPerNativeCoin go together (the gas price and its value in tokens)',
        path: ['tokenUnitsPerNativeCoin'],
      },
    )
    .optional(),
  // product (issue 8)
  /** Aggregate closed epochs every this many ms (0 = only on demand). */
  productIntervalMs: z.number().int().min(0).default(60_000),
  /**
   * An epoch is published once, this long after its acceptance window closed (epoch end +
   * acceptanceWindowSeconds + productGraceSeconds): time for reports accepted just before the
   * window closed to be written (requests time out after 30 s by default).
   */
  productGraceSeconds: z.number().int().min(0).default(300),
  /**
   * Report retention (issue 19; docs/privacy.md): a plain report is deleted this long after its
   * epoch was published (publication itself waits for the acceptance window and the grace);
   * `null` keeps reports for ever. Default one day.
   */
  reportKeepSeconds: z.number().int().min(0).nullable().default(86_400),
  /** Run report retention every this many ms (0 = only on demand). */
  retentionIntervalMs: z.number().int().min(0).default(3_600_000),
  /**
   * A JSON-RPC URL anyone may use, published in GET /v1/union so the marketplace page can read the
   * Marketplace without a wallet. Never the operator's own node URL if it carries an API key.
   */
  publicRpcUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** How GET /v1/product (the console and the marketplace page) names and describes the product. */
  listing: z
    .strictObject({
      name: z.string().trim().min(1).max(200).default(DEFAULT_LISTING.name),
      description: z.string().trim().max(2000).default(DEFAULT_LISTING.description),
    })
    .default(DEFAULT_LISTING),
  /**
   * The union as the DAP collector (issue 17; docs/operations.md): its auth token and HPKE key,
   * from COLLECTOR_SECRETS_FILE. Needed once a config carries an aggregation block.
   */
  collector: collectorSecretsSchema.optional(),
  /** First pause before polling an unfinished collection job again; doubles up to the cap. */
  collectionPollSeconds: z.number().int().min(1).default(60),
  collectionMaxPollSeconds: z.number().int().min(1).default(3600),
  /** The Marketplace product researchers subscribe to; without it the paid routes answer 503. */
  product: z
    .strictObject({
      rpcUrl: z.url(),
      marketplace: addressSchema,
      productId: z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'a bytes32 hex product id'),
      /** How long a live subscription is trusted before asking the chain again. */
      cacheSeconds: z.number().int().min(0).default(30),
    })
    .optional(),
});

export type UnionOptionsInput = z.input<typeof unionOptionsSchema> & {
  /** An open database to use instead of opening `database` (the caller closes it). */
  db?: Db;
  /** The clock, in milliseconds (tests move it). */
  now?: () => number;
};

type ParsedOptions = z.output<typeof unionOptionsSchema>;
/** The chain options with `confirmations` resolved for the chain id. */
export type ResolvedChainOptions = NonNullable<ParsedOptions['chain']> & { confirmations: number };

export type ResolvedOptions = Omit<ParsedOptions, 'chain'> & {
  chain?: ResolvedChainOptions;
  publicUrl: string;
  db?: Db;
  now: () => number;
};

export function resolveOptions(input: UnionOptionsInput): ResolvedOptions {
  const { db, now, ...rest } = input;
  const parsed = unionOptionsSchema.safeParse(rest);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `Invalid union option ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}.`,
    );
  }
  const { chain, ...o } = parsed.data;
  return {
    ...o,
    ...(chain
      ? {
          chain: {
            ...chain,
            confirmations: resolveConfirmations(
              o.chainId,
              chain.confirmations,
              chain.allowFewerConfirmations,
            ),
          },
        }
      : {}),
    publicUrl: o.publicUrl ?? `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${o.port}`,
    ...(db ? { db } : {}),
    now: now ?? Date.now,
  };
}
