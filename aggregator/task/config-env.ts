/**
 * The environment that makes an aggregator take its task from the signed union config instead of
 * a task file (from-config.ts), read the same way for either role (`prefix` HELPER or LEADER):
 *
 *   <P>_CONFIG_FILE       the signed config (JSON, as the union serves it at GET /v1/config)
 *   <P>_SECRETS_FILE      required with it: verify key, auth token, collector HPKE config, skew
 *   <P>_UNION_ADMIN       required with it: the union admin's address (the only accepted signer)
 *   <P>_UNION_CHAIN_ID    required with it: the union's chain id      } the EIP-712 domain the
 *   <P>_UNION_CONTRACT    required with it: the union's DataUnion     } config is signed for
 *   <P>_PRIVACY_LIMITS    store (default) or development (one-minute epochs, http to 127.0.0.1)
 *
 * The admin and the domain are the operator's own pins: taking them from the union would let
 * whoever runs it sign a different task.
 */
import { z } from 'zod';
import { unionDomain } from '../../extension/protocol/eip712.ts';
import { DEVELOPMENT_LIMITS, STORE_LIMITS } from '../../extension/protocol/privacy-budget.ts';
import { addressSchema } from '../../extension/protocol/wire.ts';
import { readTaskFromConfigFiles, type ConfigTaskDefinition } from './from-config.ts';
import { TaskFileError } from './task-file.ts';

const required = (what: string) => z.string({ error: `required: ${what}` }).min(1, what);

const envSchema = z.object({
  CONFIG_FILE: z.string().min(1),
  SECRETS_FILE: required('the path of the task secrets file'),
  UNION_ADMIN: addressSchema,
  UNION_CHAIN_ID: z.coerce.number().int().positive(),
  UNION_CONTRACT: addressSchema,
  PRIVACY_LIMITS: z.enum(['store', 'development']).default('store'),
});

/** The task from the signed config, or null when `<prefix>_CONFIG_FILE` is not set. */
export function configTaskFromEnv(
  env: NodeJS.ProcessEnv,
  prefix: 'HELPER' | 'LEADER',
): ConfigTaskDefinition | null {
  const own = Object.fromEntries(
    Object.entries(env)
      .filter(([key]) => key.startsWith(`${prefix}_`))
      .map(([key, value]) => [key.slice(prefix.length + 1), value]),
  );
  if (own.CONFIG_FILE === undefined) return null;
  const parsed = envSchema.safeParse(own);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TaskFileError(
      `${prefix}_${issue?.path.join('.')}: ${issue?.message} (needed with ${prefix}_CONFIG_FILE).`,
    );
  }
  const e = parsed.data;
  return readTaskFromConfigFiles(e.CONFIG_FILE, e.SECRETS_FILE, {
    domain: unionDomain(e.UNION_CHAIN_ID, e.UNION_CONTRACT),
    admin: e.UNION_ADMIN,
    limits: e.PRIVACY_LIMITS === 'development' ? DEVELOPMENT_LIMITS : STORE_LIMITS,
  });
}
