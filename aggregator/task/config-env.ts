/**
 * The environment that makes an aggregator take its task from the signed union config instead of
 * a task file (from-config.ts), read the same way for either role (`prefix` HELPER or LEADER):
 *
 *   <P>_CONFIG_FILE       the signed config (JSON, as the union serves it at GET /v1/config), or
 *   <P>_CONFIG_URL        that route's URL, fetched once at start (https, http only to loopback)
 *   <P>_SECRETS_FILE      required with it: verify key, auth token, collector HPKE config, skew
 *   <P>_UNION_ADMIN       required with it: the union admin's address (the only accepted signer)
 *   <P>_UNION_CHAIN_ID    required with it: the union's chain id      } the EIP-712 domain the
 *   <P>_UNION_CONTRACT    required with it: the union's DataUnion     } config is signed for
 *   <P>_PRIVACY_LIMITS    store (default) or development (one-minute epochs, http to 127.0.0.1)
 *   <P>_UNION_URL         the union whose public membership log (GET /v1/membership-log) says who
 *                         may sign reports (https, http only to this machine); default: the
 *                         origin of <P>_CONFIG_URL, required with <P>_CONFIG_FILE
 *
 * The admin and the domain are the operator's own pins: taking them from the union would let
 * whoever runs it sign a different task. A task from the signed config requires member
 * signatures (docs/private-aggregation.md, "Member signatures"): the domain and the union URL
 * are its `memberSignatures`.
 */
import { z } from 'zod';
import { unionDomain } from '../../extension/protocol/eip712.ts';
import { DEVELOPMENT_LIMITS, STORE_LIMITS } from '../../extension/protocol/privacy-budget.ts';
import { addressSchema } from '../../extension/protocol/wire.ts';
import { aggregatorTaskFromConfig, type ConfigTaskDefinition } from './from-config.ts';
import { readTaskJson, TaskFileError, unionUrl, type MembershipPins } from './task-file.ts';

const required = (what: string) => z.string({ error: `required: ${what}` }).min(1, what);

const envSchema = z.object({
  CONFIG_FILE: z.string().min(1).optional(),
  CONFIG_URL: z.url({ protocol: /^https?$/ }).optional(),
  SECRETS_FILE: required('the path of the task secrets file'),
  UNION_ADMIN: addressSchema,
  UNION_CHAIN_ID: z.coerce.number().int().positive(),
  UNION_CONTRACT: addressSchema,
  PRIVACY_LIMITS: z.enum(['store', 'development']).default('store'),
  UNION_URL: z.string().min(1).optional(),
});

type Prefix = 'HELPER' | 'LEADER';

/** The role's variables without their prefix. */
function ownEnv(env: NodeJS.ProcessEnv, prefix: Prefix): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(env)
      .filter(([key]) => key.startsWith(`${prefix}_`))
      .map(([key, value]) => [key.slice(prefix.length + 1), value]),
  );
}

/**
 * Downloads the signed config from `<prefix>_CONFIG_URL` (the union's `GET /v1/config`), or
 * undefined when it is not set. https only, except to this machine: the signature protects the
 * content, but a network attacker could still hand over an older signed version.
 */
export async function fetchUnionConfig(
  env: NodeJS.ProcessEnv,
  prefix: Prefix,
  fetchFn: typeof fetch,
): Promise<unknown> {
  const text = ownEnv(env, prefix).CONFIG_URL;
  if (text === undefined) return undefined;
  const url = unionUrl(text, `${prefix}_CONFIG_URL`);
  let response: Response;
  try {
    response = await fetchFn(url, { headers: { accept: 'application/json' } });
  } catch (error) {
    throw new TaskFileError(`The union config at ${text} could not be fetched.`, { cause: error });
  }
  if (!response.ok) {
    throw new TaskFileError(`The union config at ${text} answered ${response.status}.`);
  }
  try {
    return (await response.json()) as unknown;
  } catch (error) {
    throw new TaskFileError(`The union config at ${text} is not JSON.`, { cause: error });
  }
}

/**
 * The task from the signed config — `<prefix>_CONFIG_FILE`, or `fetched` from `<prefix>_CONFIG_URL`
 * (`fetchUnionConfig`) — or null when neither variable is set.
 */
export function configTaskFromEnv<Own extends z.ZodRawShape = Record<never, never>>(
  env: NodeJS.ProcessEnv,
  prefix: Prefix,
  fetched?: unknown,
  /** The role's own fields in the secrets file (the leader's), beside the shared ones. */
  ownSecrets?: Own,
): (ConfigTaskDefinition & { readonly own: z.infer<z.ZodObject<Own>> }) | null {
  const own = ownEnv(env, prefix);
  if (own.CONFIG_FILE === undefined && own.CONFIG_URL === undefined) return null;
  const parsed = envSchema.safeParse(own);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TaskFileError(
      `${prefix}_${issue?.path.join('.')}: ${issue?.message} (needed with ${prefix}_CONFIG_FILE or _CONFIG_URL).`,
    );
  }
  const e = parsed.data;
  if (e.CONFIG_FILE !== undefined && e.CONFIG_URL !== undefined) {
    throw new TaskFileError(`Set ${prefix}_CONFIG_FILE or ${prefix}_CONFIG_URL, not both.`);
  }
  if (e.CONFIG_FILE === undefined && fetched === undefined) {
    throw new TaskFileError(`${prefix}_CONFIG_URL is read with fetchUnionConfig before the task.`);
  }
  const unionText = e.UNION_URL ?? (e.CONFIG_URL && new URL(e.CONFIG_URL).origin);
  if (unionText === undefined) {
    throw new TaskFileError(
      `${prefix}_UNION_URL: required with ${prefix}_CONFIG_FILE: the union whose membership log says who may sign reports.`,
    );
  }
  const membership: MembershipPins = {
    domain: unionDomain(e.UNION_CHAIN_ID, e.UNION_CONTRACT),
    unionUrl: unionUrl(unionText, `${prefix}_UNION_URL`).origin,
  };
  const config =
    e.CONFIG_FILE === undefined ? fetched : readTaskJson('union config', e.CONFIG_FILE);
  const task = aggregatorTaskFromConfig(
    config,
    readTaskJson('task secrets', e.SECRETS_FILE),
    {
      domain: membership.domain,
      admin: e.UNION_ADMIN,
      limits: e.PRIVACY_LIMITS === 'development' ? DEVELOPMENT_LIMITS : STORE_LIMITS,
    },
    ownSecrets,
  );
  return { ...task, memberSignatures: membership };
}
