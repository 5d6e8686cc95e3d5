/**
 * Which Marketplace the page lists and how it reads the chain. Served by a union
 * (`/marketplace`), the page asks that union (`GET /v1/union`: chain id, `contracts.marketplace`,
 * `publicRpcUrl`); built as a static page (`npm run build:marketplace`), it takes the same facts
 * from `VITE_MARKETPLACE_*` variables baked in at build time. Both are validated here.
 */
import { z } from 'zod';

import { addressSchema } from '../../extension/protocol/wire.ts';

export interface MarketplaceSettings {
  chainId: number;
  marketplace: string;
  /** First block to read events from (the Marketplace's deployment block, or 0). */
  fromBlock: number;
  /** A public JSON-RPC URL for reading without a wallet; null when there is none. */
  rpcUrl: string | null;
  /** Where the settings came from, for the page's footer. */
  source: 'union' | 'build';
}

export class SettingsError extends Error {}

const httpUrl = z.url({ protocol: /^https?$/ });

const staticEnv = z.object({
  VITE_MARKETPLACE_CHAIN_ID: z.coerce.number().int().positive(),
  VITE_MARKETPLACE_ADDRESS: addressSchema,
  VITE_MARKETPLACE_FROM_BLOCK: z.coerce.number().int().min(0).default(0),
  VITE_MARKETPLACE_RPC_URL: httpUrl.optional(),
});

const unionAnswer = z.object({
  chainId: z.number().int().positive(),
  contracts: z.object({ marketplace: addressSchema.optional() }),
  publicRpcUrl: httpUrl.nullable().optional(),
});

/** Settings baked into a static build, or null when the build has none (served by a union). */
export function settingsFromBuild(env: Record<string, unknown>): MarketplaceSettings | null {
  if (env.VITE_MARKETPLACE_ADDRESS === undefined || env.VITE_MARKETPLACE_ADDRESS === '')
    return null;
  const parsed = staticEnv.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SettingsError(
      `This static marketplace page was built with a wrong ${issue?.path.join('.') ?? 'setting'}: ${issue?.message ?? 'invalid'}.`,
    );
  }
  const e = parsed.data;
  return {
    chainId: e.VITE_MARKETPLACE_CHAIN_ID,
    marketplace: e.VITE_MARKETPLACE_ADDRESS.toLowerCase(),
    fromBlock: e.VITE_MARKETPLACE_FROM_BLOCK,
    rpcUrl: e.VITE_MARKETPLACE_RPC_URL ?? null,
    source: 'build',
  };
}

/** Settings from the serving union's `GET /v1/union` answer. */
export function settingsFromUnion(body: unknown): MarketplaceSettings {
  const parsed = unionAnswer.safeParse(body);
  if (!parsed.success)
    throw new SettingsError('This union’s /v1/union answer is not what the page expects.');
  const marketplace = parsed.data.contracts.marketplace;
  if (!marketplace) {
    throw new SettingsError(
      'This union names no Marketplace (its operator has not set MARKETPLACE_ADDRESS), so there is nothing to list.',
    );
  }
  return {
    chainId: parsed.data.chainId,
    marketplace: marketplace.toLowerCase(),
    fromBlock: 0,
    rpcUrl: parsed.data.publicRpcUrl ?? null,
    source: 'union',
  };
}
