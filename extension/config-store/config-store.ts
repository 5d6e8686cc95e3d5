/**
 * The union's signed config (DESIGN §3), fetched from `GET {unionUrl}/v1/config` and accepted only
 * through `acceptSignedConfig` (the admin's signature, a strictly newer version, no sensitive or
 * unknown category, no rule naming a sensitive host, privacy parameters inside the bounds and the
 * build's budget limits). On any failure the last good config
 * stays in force and the failure is recorded for the status view.
 */
import { acceptSignedConfig, configHash, type SignedConfig } from '../protocol/config.ts';
import type { UnionDomain } from '../protocol/eip712.ts';
import { CrowdsellError, toErrorPayload } from '../protocol/errors.ts';
import type { PrivacyLimits } from '../protocol/privacy-budget.ts';
import type { ConfigStatus } from '../storage/schema.ts';

export const CONFIG_REFRESH_MINUTES = 6 * 60;
const CONFIG_TIMEOUT_MS = 15_000;
const CONFIG_MAX_BYTES = 2_000_000;

export interface ConfigFetchDeps {
  fetch: typeof fetch;
  unionUrl: string;
  domain: UnionDomain;
  admin: string;
  /** Store limits unless the build is a development one (`AppDeps.privacyLimits`). */
  limits?: PrivacyLimits | undefined;
}

export type ConfigOutcome =
  | { kind: 'accepted'; signed: SignedConfig; previousVersion: number | null }
  | { kind: 'unchanged'; version: number }
  | { kind: 'refused'; code: string; message: string };

async function download(deps: ConfigFetchDeps): Promise<unknown> {
  let response: Response;
  try {
    response = await deps.fetch(`${deps.unionUrl}/v1/config`, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(CONFIG_TIMEOUT_MS),
    });
  } catch (error) {
    throw new CrowdsellError('UNION_UNREACHABLE', 'The union could not be reached.', {
      cause: error,
    });
  }
  if (!response.ok) {
    throw new CrowdsellError(
      'CONFIG_UNAVAILABLE',
      `The union has no config to give (HTTP ${response.status}).`,
    );
  }
  const text = await response.text();
  if (text.length > CONFIG_MAX_BYTES) {
    throw new CrowdsellError('CONFIG_MALFORMED', 'The union config is too large.');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CrowdsellError('CONFIG_MALFORMED', 'The union config is not JSON.');
  }
}

/**
 * Decides about a downloaded config. The same config again is "unchanged" (not a rollback);
 * an older or different config with the same version is refused.
 */
export function judgeConfig(
  input: unknown,
  held: SignedConfig | undefined,
  deps: Pick<ConfigFetchDeps, 'domain' | 'admin' | 'limits'>,
): ConfigOutcome {
  try {
    if (held && isSameConfig(input, held))
      return { kind: 'unchanged', version: held.config.version };
    const signed = acceptSignedConfig(input, {
      domain: deps.domain,
      admin: deps.admin,
      currentVersion: held?.config.version,
      previous: held?.config,
      limits: deps.limits,
    });
    return { kind: 'accepted', signed, previousVersion: held?.config.version ?? null };
  } catch (error) {
    const payload = toErrorPayload(error);
    return { kind: 'refused', code: payload.code, message: payload.message };
  }
}

function isSameConfig(input: unknown, held: SignedConfig): boolean {
  if (typeof input !== 'object' || input === null) return false;
  const candidate = input as Partial<SignedConfig>;
  if (candidate.signature !== held.signature || typeof candidate.config !== 'object') return false;
  try {
    return configHash(candidate.config) === configHash(held.config);
  } catch {
    return false;
  }
}

export async function fetchConfig(
  deps: ConfigFetchDeps,
  held: SignedConfig | undefined,
): Promise<ConfigOutcome> {
  try {
    return judgeConfig(await download(deps), held, deps);
  } catch (error) {
    const payload = toErrorPayload(error);
    return { kind: 'refused', code: payload.code, message: payload.message };
  }
}

export function statusAfter(outcome: ConfigOutcome, nowMs: number): ConfigStatus {
  return {
    lastFetchAt: nowMs,
    lastError:
      outcome.kind === 'refused'
        ? { code: outcome.code, message: outcome.message, at: nowMs }
        : null,
  };
}
