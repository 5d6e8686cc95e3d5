/**
 * Environment of the deploy CLI, validated at the boundary so a missing or malformed variable is
 * one clear sentence instead of an ethers stack trace halfway through a deployment.
 */
import { isAddress, isHexString } from 'ethers';
import { z } from 'zod';
import type { DeployParams } from './deploy.ts';
import { MAX_FREEZE_PERIOD_SECONDS, MIN_FREEZE_PERIOD_SECONDS } from './freeze-period.ts';

const address = z.string().refine((v) => isAddress(v), 'must be a 0x-prefixed 20-byte address');
const integer = z
  .string()
  .regex(/^\d+$/, 'must be a non-negative integer (base units / seconds)')
  .transform((v) => BigInt(v));

export const deployEnvSchema = z
  .object({
    RPC_URL: z.url({ message: 'RPC_URL must be the JSON-RPC URL of the chain, e.g. https://…' }),
    DEPLOYER_KEY: z
      .string({
        message: 'DEPLOYER_KEY must be set to the private key that pays for the deployment',
      })
      .refine((v) => isHexString(v, 32), 'DEPLOYER_KEY must be a 0x-prefixed 32-byte hex key'),
    ADMIN_ADDRESS: z
      .undefined({
        message:
          'is no longer supported: the deployer becomes the admin (and its product’s owner), so run the deploy with the admin’s key',
      })
      .optional(),
    OPERATOR_ADDRESS: address.optional(),
    TOKEN_ADDRESS: address.optional(),
    MARKETPLACE_ADDRESS: address.optional(),
    FACTORY_ADDRESS: address.optional(),
    METADATA_URL: z
      .url({ message: 'must be the union server’s base URL, e.g. https://…' })
      .optional(),
    FREEZE_PERIOD_SECONDS: integer
      .refine(
        (v) => v >= MIN_FREEZE_PERIOD_SECONDS && v <= MAX_FREEZE_PERIOD_SECONDS,
        `must be from ${MIN_FREEZE_PERIOD_SECONDS} seconds (time to revoke a bad root) to ${MAX_FREEZE_PERIOD_SECONDS} (30 days); production unions want hours to a day`,
      )
      .optional(),
    ADMIN_FEE_FRACTION: integer.optional(),
    PRICE_PER_SECOND: integer.optional(),
    PRODUCT_ID: z
      .undefined({
        message: 'is no longer supported: the factory derives the product id from the union',
      })
      .optional(),
    PRODUCT_NAME: z.string().min(1).optional(),
  })
  .superRefine((env, ctx) => {
    // Through an existing factory only a union is created: its token must be named, and the
    // factory already has its Marketplace.
    if (env.FACTORY_ADDRESS === undefined) return;
    if (env.TOKEN_ADDRESS === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['TOKEN_ADDRESS'],
        message: 'must be set with FACTORY_ADDRESS: the token the new union earns and pays out',
      });
    }
    if (env.MARKETPLACE_ADDRESS !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['MARKETPLACE_ADDRESS'],
        message:
          'cannot be combined with FACTORY_ADDRESS: the factory lists on its own Marketplace',
      });
    }
  });

export interface DeployEnv {
  readonly rpcUrl: string;
  readonly deployerKey: string;
  readonly params: DeployParams;
}

/** Parses `env`; throws an Error listing every problem, one per line. */
export function parseDeployEnv(env: Record<string, string | undefined>): DeployEnv {
  const parsed = deployEnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const params: DeployParams = {
    ...(e.OPERATOR_ADDRESS !== undefined && { operator: e.OPERATOR_ADDRESS }),
    ...(e.TOKEN_ADDRESS !== undefined && { token: e.TOKEN_ADDRESS }),
    ...(e.MARKETPLACE_ADDRESS !== undefined && { marketplace: e.MARKETPLACE_ADDRESS }),
    ...(e.FACTORY_ADDRESS !== undefined && { factory: e.FACTORY_ADDRESS }),
    ...(e.METADATA_URL !== undefined && { metadataUrl: e.METADATA_URL }),
    ...(e.FREEZE_PERIOD_SECONDS !== undefined && { freezePeriodSeconds: e.FREEZE_PERIOD_SECONDS }),
    ...(e.ADMIN_FEE_FRACTION !== undefined && { adminFeeFraction: e.ADMIN_FEE_FRACTION }),
    ...(e.PRICE_PER_SECOND !== undefined && { pricePerSecond: e.PRICE_PER_SECOND }),
    ...(e.PRODUCT_NAME !== undefined && { productName: e.PRODUCT_NAME }),
  };
  return { rpcUrl: e.RPC_URL, deployerKey: e.DEPLOYER_KEY, params };
}
