/**
 * Union options from environment variables (DESIGN §8), validated with zod so a missing or wrong
 * variable stops the start with a sentence naming it.
 */
import { readFileSync } from 'node:fs';

import { z } from 'zod';

import { addressSchema } from '../../extension/protocol/wire.ts';
import { readCollectorSecrets } from '../collector/collector-secrets.ts';
import type { DatabaseOptions } from '../db/open-db.ts';
import type { UnionOptionsInput } from './options.ts';
import { trustProxyFromEnv } from './trust-proxy.ts';

const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max);
const optionalAddress = addressSchema.optional();

export const envSchema = z.object({
  PORT: int(0, 65535).default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.string().min(1).optional(),
  DATABASE_POOL_SIZE: int(1, 200).optional(),
  CROWDSELL_DATA_DIR: z.string().min(1).default('./.crowdsell'),
  CHAIN_ID: int(1),
  DATA_UNION_ADDRESS: addressSchema,
  ADMIN_ADDRESS: addressSchema,
  OPERATOR_ADDRESS: addressSchema,
  MARKETPLACE_ADDRESS: optionalAddress,
  TOKEN_ADDRESS: optionalAddress,
  /** The DataUnionFactory, published in /v1/union for the console's "Create a union". */
  FACTORY_ADDRESS: optionalAddress,
  PUBLIC_URL: z.url().optional(),
  CORS_ORIGINS: z.string().default(''),
  /** `false`, a hop count, or comma-separated proxy addresses / CIDR ranges (trust-proxy.ts). */
  TRUST_PROXY: z.string().default('false'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ACCEPTANCE_WINDOW_SECONDS: int(60).optional(),
  ACTIVITY_WINDOW_SECONDS: int(60).optional(),
  /** Days a plain report is kept after its epoch is published, or `forever` (docs/operations.md). */
  REPORT_KEEP_DAYS: z.union([z.literal('forever'), int(0, 3650)]).optional(),
  RECOVER_THREADS: int(0, 16).optional(),
  RATE_LIMIT_JOINS_PER_IP: int(0).optional(),
  RATE_LIMIT_REPORT_REQUESTS_PER_IP: int(0).optional(),
  RATE_LIMIT_REPORTS_PER_MEMBER: int(0).optional(),
  RATE_LIMIT_ADMIN_PER_IP: int(0).optional(),
  RATE_LIMIT_RECOVERIES_PER_IP_PER_SECOND: int(0).optional(),
  RATE_LIMIT_PUBLIC_READS_PER_IP: int(0).optional(),
  /** A JSON file with a SignedConfig to publish when the database has none yet. */
  INITIAL_CONFIG_FILE: z.string().min(1).optional(),
  /** The union's DAP collector secrets (collector-secrets.ts): token and HPKE keypair. */
  COLLECTOR_SECRETS_FILE: z.string().min(1).optional(),
  // Monoplasma jobs (revenue watcher, committer, withdraw relay): on when RPC_URL and OPERATOR_KEY are set.
  RPC_URL: z.url().optional(),
  OPERATOR_KEY: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/, 'must be a 0x-prefixed 32-byte hex private key')
    .optional(),
  START_BLOCK: int(0).optional(),
  CONFIRMATIONS: int(1, 1000).optional(),
  /** Accept fewer CONFIRMATIONS than the chain's documented minimum (docs/operations.md). */
  ALLOW_FEWER_CONFIRMATIONS: z.enum(['true', 'false']).default('false'),
  COMMIT_PERIOD_SECONDS: int(10).optional(),
  MIN_MEMBERSHIP_AGE_SECONDS: int(0).optional(),
  // The minimum withdrawal (docs/operations.md): explicit, or from the gas price and its value.
  MIN_WITHDRAWAL: z
    .string()
    .regex(/^\d{1,78}$/, 'must be token base units (digits)')
    .optional(),
  RELAY_GAS_PRICE_WEI: z
    .string()
    .regex(/^\d{1,78}$/, 'must be wei (digits)')
    .optional(),
  TOKEN_UNITS_PER_NATIVE_COIN: z
    .string()
    .regex(/^\d{1,78}$/, 'must be token base units (digits)')
    .optional(),
  /** Published in GET /v1/union for the marketplace page's reads (docs/operations.md). */
  PUBLIC_RPC_URL: z.url().optional(),
  /** What GET /v1/product calls the product (shown by the console and the marketplace page). */
  PRODUCT_NAME: z.string().trim().min(1).max(200).optional(),
  PRODUCT_DESCRIPTION: z.string().trim().max(2000).optional(),
  // Data product: paid routes on when RPC_URL, MARKETPLACE_ADDRESS and PRODUCT_ID are set.
  PRODUCT_ID: z
    .string()
    .regex(/^0x[0-9a-fA-F]{64}$/, 'must be a bytes32 hex product id')
    .optional(),
});

function explain(error: z.ZodError, env: NodeJS.ProcessEnv): string {
  return error.issues
    .map((i) => {
      const name = i.path.join('.') || 'environment';
      return env[name] === undefined || env[name] === ''
        ? `${name} is required`
        : `${name}: ${i.message}`;
    })
    .join('; ');
}

/** Only what opening the database needs (for `migrate`, `admin`, `secret`). */
export function databaseFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseOptions {
  const parsed = envSchema
    .pick({ DATABASE_URL: true, DATABASE_POOL_SIZE: true, CROWDSELL_DATA_DIR: true })
    .safeParse(env);
  if (!parsed.success) throw new Error(`Invalid environment: ${explain(parsed.error, env)}.`);
  const e = parsed.data;
  return e.DATABASE_URL
    ? {
        driver: 'postgres',
        url: e.DATABASE_URL,
        ...(e.DATABASE_POOL_SIZE ? { poolSize: e.DATABASE_POOL_SIZE } : {}),
      }
    : { driver: 'pglite', dataDir: e.CROWDSELL_DATA_DIR };
}

export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): UnionOptionsInput {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid environment: ${explain(parsed.error, env)}.`);
  const e = parsed.data;
  const contracts: Record<string, string> = {};
  if (e.MARKETPLACE_ADDRESS) contracts.marketplace = e.MARKETPLACE_ADDRESS;
  if (e.TOKEN_ADDRESS) contracts.token = e.TOKEN_ADDRESS;
  if (e.FACTORY_ADDRESS) contracts.factory = e.FACTORY_ADDRESS;
  const limits = {
    ...(e.RATE_LIMIT_JOINS_PER_IP !== undefined ? { joinsPerIp: e.RATE_LIMIT_JOINS_PER_IP } : {}),
    ...(e.RATE_LIMIT_REPORT_REQUESTS_PER_IP !== undefined
      ? { reportRequestsPerIp: e.RATE_LIMIT_REPORT_REQUESTS_PER_IP }
      : {}),
    ...(e.RATE_LIMIT_REPORTS_PER_MEMBER !== undefined
      ? { reportsPerMember: e.RATE_LIMIT_REPORTS_PER_MEMBER }
      : {}),
    ...(e.RATE_LIMIT_ADMIN_PER_IP !== undefined ? { adminPerIp: e.RATE_LIMIT_ADMIN_PER_IP } : {}),
    ...(e.RATE_LIMIT_RECOVERIES_PER_IP_PER_SECOND !== undefined
      ? { recoveriesPerIpPerSecond: e.RATE_LIMIT_RECOVERIES_PER_IP_PER_SECOND }
      : {}),
    ...(e.RATE_LIMIT_PUBLIC_READS_PER_IP !== undefined
      ? { publicReadsPerIp: e.RATE_LIMIT_PUBLIC_READS_PER_IP }
      : {}),
  };
  let initialConfig: unknown;
  if (e.INITIAL_CONFIG_FILE) {
    try {
      initialConfig = JSON.parse(readFileSync(e.INITIAL_CONFIG_FILE, 'utf8'));
    } catch (error) {
      throw new Error(`INITIAL_CONFIG_FILE could not be read as JSON: ${String(error)}.`, {
        cause: error,
      });
    }
  }
  if (e.OPERATOR_KEY && (!e.RPC_URL || !e.TOKEN_ADDRESS || e.START_BLOCK === undefined)) {
    throw new Error(
      'Invalid environment: OPERATOR_KEY turns on the Monoplasma jobs, which also need RPC_URL, TOKEN_ADDRESS and START_BLOCK.',
    );
  }
  const chain =
    e.OPERATOR_KEY && e.RPC_URL && e.TOKEN_ADDRESS && e.START_BLOCK !== undefined
      ? {
          chain: {
            rpcUrl: e.RPC_URL,
            operatorKey: e.OPERATOR_KEY,
            tokenAddress: e.TOKEN_ADDRESS,
            startBlock: e.START_BLOCK,
            ...(e.CONFIRMATIONS !== undefined ? { confirmations: e.CONFIRMATIONS } : {}),
            allowFewerConfirmations: e.ALLOW_FEWER_CONFIRMATIONS === 'true',
            ...(e.COMMIT_PERIOD_SECONDS ? { commitPeriodSeconds: e.COMMIT_PERIOD_SECONDS } : {}),
            ...(e.MIN_MEMBERSHIP_AGE_SECONDS !== undefined
              ? { minMembershipAgeSeconds: e.MIN_MEMBERSHIP_AGE_SECONDS }
              : {}),
            ...(e.MIN_WITHDRAWAL !== undefined ? { minWithdrawal: e.MIN_WITHDRAWAL } : {}),
            ...(e.RELAY_GAS_PRICE_WEI !== undefined
              ? { relayGasPriceWei: e.RELAY_GAS_PRICE_WEI }
              : {}),
            ...(e.TOKEN_UNITS_PER_NATIVE_COIN !== undefined
              ? { tokenUnitsPerNativeCoin: e.TOKEN_UNITS_PER_NATIVE_COIN }
              : {}),
          },
        }
      : {};
  const product =
    e.RPC_URL && e.MARKETPLACE_ADDRESS && e.PRODUCT_ID
      ? {
          product: {
            rpcUrl: e.RPC_URL,
            marketplace: e.MARKETPLACE_ADDRESS,
            productId: e.PRODUCT_ID,
          },
        }
      : {};
  return {
    ...chain,
    ...product,
    chainId: e.CHAIN_ID,
    dataUnion: e.DATA_UNION_ADDRESS,
    admin: e.ADMIN_ADDRESS,
    operator: e.OPERATOR_ADDRESS,
    contracts,
    database: databaseFromEnv(env),
    host: e.HOST,
    port: e.PORT,
    ...(e.PUBLIC_URL ? { publicUrl: e.PUBLIC_URL } : {}),
    ...(e.PUBLIC_RPC_URL ? { publicRpcUrl: e.PUBLIC_RPC_URL } : {}),
    ...(e.PRODUCT_NAME || e.PRODUCT_DESCRIPTION
      ? {
          listing: {
            ...(e.PRODUCT_NAME ? { name: e.PRODUCT_NAME } : {}),
            ...(e.PRODUCT_DESCRIPTION ? { description: e.PRODUCT_DESCRIPTION } : {}),
          },
        }
      : {}),
    corsOrigins: e.CORS_ORIGINS.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    trustProxy: trustProxyFromEnv(e.TRUST_PROXY),
    logLevel: e.LOG_LEVEL,
    ...(e.ACCEPTANCE_WINDOW_SECONDS
      ? { acceptanceWindowSeconds: e.ACCEPTANCE_WINDOW_SECONDS }
      : {}),
    ...(e.ACTIVITY_WINDOW_SECONDS ? { activityWindowSeconds: e.ACTIVITY_WINDOW_SECONDS } : {}),
    ...(e.REPORT_KEEP_DAYS !== undefined
      ? { reportKeepSeconds: e.REPORT_KEEP_DAYS === 'forever' ? null : e.REPORT_KEEP_DAYS * 86_400 }
      : {}),
    ...(e.RECOVER_THREADS !== undefined ? { recoverThreads: e.RECOVER_THREADS } : {}),
    ...(Object.keys(limits).length > 0 ? { rateLimits: limits } : {}),
    ...(initialConfig !== undefined
      ? { initialConfig: initialConfig as UnionOptionsInput['initialConfig'] }
      : {}),
    ...(e.COLLECTOR_SECRETS_FILE
      ? { collector: readCollectorSecrets(e.COLLECTOR_SECRETS_FILE) }
      : {}),
  };
}
