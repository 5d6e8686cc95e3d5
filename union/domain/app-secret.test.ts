import { describe, expect, it } from 'vitest';

import {
  appSecretId,
  appSecretMatches,
  appSecretUnusable,
  generateAppSecret,
  hashAppSecret,
} from './app-secret.ts';

describe('app secrets', () => {
  it('are csj_<id>_<256 random bits>, stored only as sha256, and match only themselves', () => {
    const a = generateAppSecret();
    const b = generateAppSecret();
    expect(a.secret).toMatch(/^csj_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(appSecretId(a.secret)).toBe(a.id);
    expect(a.hash).toBe(hashAppSecret(a.secret));
    expect(a.hash).not.toContain(a.secret.slice(21));
    expect(appSecretMatches(a.secret, a.hash)).toBe(true);
    expect(appSecretMatches(b.secret, a.hash)).toBe(false);
    expect(appSecretMatches(a.secret, 'abcd')).toBe(false);
  });

  it('refuse strings that are not shaped like a secret', () => {
    for (const s of ['', 'csj_', 'csj_zz_x', `csj_${'0'.repeat(16)}_short`, 'x'.repeat(200)]) {
      expect(appSecretId(s)).toBeNull();
    }
  });

  it('are unusable once revoked, expired or used up', () => {
    const now = new Date('2026-11-25T00:00:00Z');
    const base = { maxUses: null, uses: 0, expiresAt: null, revokedAt: null };
    expect(appSecretUnusable(base, now)).toBeNull();
    expect(appSecretUnusable({ ...base, revokedAt: now }, now)).toBe('revoked');
    expect(appSecretUnusable({ ...base, expiresAt: now }, now)).toBe('expired');
    expect(appSecretUnusable({ ...base, expiresAt: new Date(now.getTime() + 1) }, now)).toBeNull();
    expect(appSecretUnusable({ ...base, maxUses: 2, uses: 2 }, now)).toBe('exhausted');
    expect(appSecretUnusable({ ...base, maxUses: 2, uses: 1 }, now)).toBeNull();
  });
});
