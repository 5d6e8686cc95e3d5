/**
 * App secrets let an extension build join members at once. A secret baked into a public
 * extension leaks, so each has an optional use limit and expiry and can be revoked.
 *
 * Format: `csj_<id>_<random>` — `id` (16 hex chars) names the row to look up, `random` is 32 bytes
 * (256 bits) base64url. Only sha256 of the whole secret is stored: with 256 bits of entropy there
 * is nothing to brute-force, so a slow password hash would buy nothing. The stored hash is
 * compared with `timingSafeEqual`, so response time does not reveal how much of a guess matched.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const FORMAT = /^csj_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface NewAppSecret {
  id: string;
  secret: string;
  hash: string;
}

export function hashAppSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function generateAppSecret(): NewAppSecret {
  const id = randomBytes(8).toString('hex');
  const secret = `csj_${id}_${randomBytes(32).toString('base64url')}`;
  return { id, secret, hash: hashAppSecret(secret) };
}

/** The row id a secret names, or null when it is not shaped like one of ours. */
export function appSecretId(secret: string): string | null {
  return FORMAT.exec(secret)?.[1] ?? null;
}

export function appSecretMatches(secret: string, storedHash: string): boolean {
  const given = Buffer.from(hashAppSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

export interface AppSecretState {
  maxUses: number | null;
  uses: number;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** Why a secret cannot be used now, or null when it can. */
export function appSecretUnusable(
  state: AppSecretState,
  now: Date,
): 'revoked' | 'expired' | 'exhausted' | null {
  if (state.revokedAt) return 'revoked';
  if (state.expiresAt && state.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (state.maxUses !== null && state.uses >= state.maxUses) return 'exhausted';
  return null;
}
