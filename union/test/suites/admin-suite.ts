/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call --
   Response bodies are loosely typed JSON here on purpose: the assertions (expect) check their shape. */
import { describe, expect, it } from 'vitest';

import { unionDomain } from '../../../extension/protocol/eip712.ts';
import {
  CONFIG_CATEGORIES,
  randomWallet,
  signConfig,
  signJoin,
  siweMessageFor,
  TEST_DATA_UNION,
  testConfig,
} from '../../test-support/fixtures.ts';
import { client } from '../../test-support/http-client.ts';
import { testClock } from '../../test-support/test-clock.ts';
import type { Env } from './suite-env.ts';

export function adminSuite(env: Env): void {
  describe('admin sign-in (SIWE) and sessions', () => {
    const signIn = async (message: string, signer = env().t.admin) =>
      env().t.call('POST', '/v1/admin/session', {
        message,
        signature: await signer.signMessage(message),
      });
    const nonce = async () =>
      (await env().t.call<{ nonce: string }>('GET', '/v1/admin/nonce')).body.nonce;

    it('signs the admin in: 201 with a bearer token and an httpOnly SameSite=Strict cookie', async () => {
      const { t } = env();
      const r = await signIn(t.siweMessage(t.admin, await nonce()));
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({
        token: expect.any(String),
        address: t.admin.address.toLowerCase(),
      });
      const cookie = r.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/crowdsell_admin=/);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Strict/i);
      const bearer = client(t.url, { authorization: `Bearer ${r.body.token}` });
      expect((await bearer('GET', '/v1/admin/session')).body.address).toBe(
        t.admin.address.toLowerCase(),
      );
      const viaCookie = client(t.url, { cookie: cookie.split(';')[0]! });
      expect((await viaCookie('GET', '/v1/admin/members')).status).toBe(200);
      const foreign = await viaCookie(
        'PUT',
        '/v1/admin/settings',
        { autoJoin: true },
        { origin: 'https://evil.example' },
      );
      expect(foreign.status).toBe(403);
      expect(foreign.body.error.code).toBe('FORBIDDEN_ORIGIN');
      expect((await bearer('DELETE', '/v1/admin/session')).status).toBe(204);
      const after = await bearer('GET', '/v1/admin/session');
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe('UNAUTHENTICATED');
    });

    it('refuses admin routes without a session or with a made-up token (401)', async () => {
      const { t } = env();
      expect((await t.call('GET', '/v1/admin/members')).body.error.code).toBe('UNAUTHENTICATED');
      const fake = client(t.url, { authorization: 'Bearer not-a-token' });
      expect((await fake('POST', '/v1/admin/secrets', {})).status).toBe(401);
    });

    it('refuses sign-in messages that are malformed, for another domain, URI or chain, stale, or reused', async () => {
      const { t } = env();
      const cases: [string, string][] = [
        ['SIWE_INVALID', 'hello'],
        ['SIWE_WRONG_DOMAIN', t.siweMessage(t.admin, await nonce(), { domain: 'evil.example' })],
        ['SIWE_WRONG_URI', t.siweMessage(t.admin, await nonce(), { uri: 'https://evil.example/' })],
        ['SIWE_WRONG_CHAIN', t.siweMessage(t.admin, await nonce(), { chainId: 1 })],
        [
          'SIWE_EXPIRED',
          t.siweMessage(t.admin, await nonce(), {
            issuedAt: new Date(t.clock.now() - 3_600_000),
            expirationTime: new Date(t.clock.now() + 60_000),
          }),
        ],
        [
          'SIWE_EXPIRED',
          t.siweMessage(t.admin, await nonce(), {
            expirationTime: new Date(t.clock.now() - 1000),
          }),
        ],
        ['SIWE_BAD_NONCE', t.siweMessage(t.admin, 'unknownnonce12345')],
      ];
      for (const [code, message] of cases) {
        const r = await signIn(message);
        expect(r.body.error?.code, code).toBe(code);
        expect(r.status).toBe(code === 'SIWE_INVALID' ? 400 : 401);
      }
      const once = t.siweMessage(t.admin, await nonce());
      expect((await signIn(once)).status).toBe(201);
      expect((await signIn(once)).body.error.code).toBe('SIWE_BAD_NONCE');
    });

    it('refuses a signature by another key (401) and any key but the admin’s (403 NOT_ADMIN)', async () => {
      const { t } = env();
      const impostor = randomWallet();
      const claimsAdmin = await signIn(t.siweMessage(t.admin, await nonce()), impostor);
      expect(claimsAdmin.status).toBe(401);
      expect(claimsAdmin.body.error.code).toBe('SIWE_BAD_SIGNATURE');
      const own = await signIn(t.siweMessage(impostor, await nonce()), impostor);
      expect(own.status).toBe(403);
      expect(own.body.error.code).toBe('NOT_ADMIN');
      expect((await t.call('POST', '/v1/admin/session', { message: 'x' })).status).toBe(400);
    });

    it('judges nonce and session expiry on the union’s clock, not the database’s', async () => {
      const { t } = env();
      // The union's clock is not the database server's: purging expired nonces and sessions on
      // the next request must not drop ones still live on the union's clock.
      const early = await nonce();
      const first = await t.adminClient(); // asks for a nonce and opens a session: both purge
      expect((await signIn(t.siweMessage(t.admin, early))).status).toBe(201);
      expect((await first('GET', '/v1/admin/members')).status).toBe(200);
    });

    it('ends a session the moment the union’s clock reaches its expiry', async () => {
      const { t } = env();
      // A second server on the same database with a clock of its own, moved on by the test.
      const clock = testClock(t.clock.now());
      const sib = await t.sibling({ now: clock.now });
      try {
        const { nonce } = (await sib.call<{ nonce: string }>('GET', '/v1/admin/nonce')).body;
        const message = siweMessageFor(t.admin, sib.url, nonce, {}, clock.now());
        const session = await sib.call<{ token: string }>('POST', '/v1/admin/session', {
          message,
          signature: await t.admin.signMessage(message),
        });
        expect(session.status).toBe(201);
        const admin = client(sib.url, { authorization: `Bearer ${session.body.token}` });
        // The session lasts as long as the signed message: 10 minutes.
        clock.advance(10 * 60_000 - 1000);
        expect((await admin('GET', '/v1/admin/members')).status).toBe(200);
        clock.advance(1000);
        expect((await admin('GET', '/v1/admin/members')).body.error.code).toBe('UNAUTHENTICATED');
      } finally {
        await sib.close();
      }
    });
  });

  describe('admin API', () => {
    it('lists pending members and approves, rejects and removes them, each logged', async () => {
      const { t } = env();
      const admin = await t.adminClient();
      const [a, b] = [randomWallet(), randomWallet()];
      for (const m of [a, b])
        await t.call('POST', '/v1/join', await signJoin(m, t.domain, t.clock.nowSeconds()));
      const pending = await admin('GET', '/v1/admin/members?status=pending&limit=1000');
      const addresses = pending.body.members.map((m: { address: string }) => m.address);
      expect(addresses).toEqual(
        expect.arrayContaining([a.address.toLowerCase(), b.address.toLowerCase()]),
      );
      const approved = await admin('POST', `/v1/admin/members/${a.address}/approve`);
      expect(approved.body.member.status).toBe('active');
      expect(
        (await admin('POST', `/v1/admin/members/${b.address}/reject`)).body.member.status,
      ).toBe('rejected');
      expect(
        (await admin('POST', `/v1/admin/members/${a.address}/remove`)).body.member.status,
      ).toBe('removed');
      const log = await t.call('GET', '/v1/membership-log?after=0&limit=1000');
      const mine = log.body.entries.filter((e: { member: string }) =>
        [a.address.toLowerCase(), b.address.toLowerCase()].includes(e.member),
      );
      expect(mine.map((e: { type: string }) => e.type)).toEqual(['join', 'reject', 'remove']);
      const joinedAgain = await t.call(
        'POST',
        '/v1/join',
        await signJoin(a, t.domain, t.clock.nowSeconds()),
      );
      expect(joinedAgain.body.member.status).toBe('removed');
    });

    it('refuses impossible transitions (409), unknown members (404) and unknown actions (400)', async () => {
      const { t } = env();
      const admin = await t.adminClient();
      const active = await t.activeMember();
      const reject = await admin('POST', `/v1/admin/members/${active.address}/reject`);
      expect(reject.status).toBe(409);
      expect(reject.body.error.code).toBe('MEMBER_WRONG_STATUS');
      const unknown = await admin('POST', `/v1/admin/members/${randomWallet().address}/approve`);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('MEMBER_NOT_FOUND');
      expect((await admin('POST', `/v1/admin/members/${active.address}/promote`)).status).toBe(400);
      const paged = await admin('GET', '/v1/admin/members?limit=1');
      expect(paged.body.members).toHaveLength(1);
      expect(paged.body.next).toBe(paged.body.members[0].address);
      expect((await admin('GET', '/v1/admin/members?status=nope')).status).toBe(400);
    });

    it('creates app secrets shown once, lists them without the secret, revokes them', async () => {
      const { t } = env();
      const admin = await t.adminClient();
      const expiresAt = new Date(t.clock.now() + 86_400_000).toISOString();
      const created = await admin('POST', '/v1/admin/secrets', {
        label: 'beta',
        maxUses: 5,
        expiresAt,
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        label: 'beta',
        maxUses: 5,
        uses: 0,
        expiresAt,
        revokedAt: null,
      });
      expect(created.body.secret).toMatch(/^csj_[0-9a-f]{16}_/);
      const list = await admin('GET', '/v1/admin/secrets');
      const listed = list.body.secrets.find((s: { id: string }) => s.id === created.body.id);
      expect(listed).toMatchObject({ label: 'beta', maxUses: 5 });
      expect(JSON.stringify(list.body)).not.toContain(created.body.secret);
      const revoked = await admin('DELETE', `/v1/admin/secrets/${created.body.id}`);
      expect(revoked.body.revokedAt).not.toBeNull();
      const missing = await admin('DELETE', '/v1/admin/secrets/0123456789abcdef');
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('SECRET_NOT_FOUND');
      expect((await admin('POST', '/v1/admin/secrets', { maxUses: 0 })).body.error.code).toBe(
        'BAD_REQUEST',
      );
      expect((await admin('DELETE', '/v1/admin/secrets/xyz')).status).toBe(400);
    });

    it('reads and switches auto-join', async () => {
      const admin = await env().t.adminClient();
      expect((await admin('GET', '/v1/admin/settings')).body).toEqual({ autoJoin: true });
      expect((await admin('PUT', '/v1/admin/settings', { autoJoin: 'yes' })).status).toBe(400);
    });
  });

  describe('PUT /v1/admin/config', () => {
    it('accepts a newer config signed by the admin and serves it; refuses rollbacks (409)', async () => {
      const { t } = env();
      const admin = await t.adminClient();
      const current = (await t.call('GET', '/v1/config')).body.config.version as number;
      const next = await signConfig(t.admin, t.domain, testConfig(current + 1));
      const r = await admin('PUT', '/v1/admin/config', next);
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({
        version: current + 1,
        configHash: expect.stringMatching(/^0x/),
      });
      expect((await t.call('GET', '/v1/config')).body).toEqual(next);
      for (const version of [current + 1, 1]) {
        const again = await admin(
          'PUT',
          '/v1/admin/config',
          await signConfig(t.admin, t.domain, testConfig(version)),
        );
        expect(again.status).toBe(409);
        expect(again.body.error.code).toBe('CONFIG_ROLLBACK');
      }
    });

    it('refuses configs signed by another key or for another union, malformed or with bad categories', async () => {
      const { t } = env();
      const admin = await t.adminClient();
      const v = 1000 + Math.floor(Math.random() * 1000);
      const expectCode = async (body: unknown, status: number, code: string) => {
        const r = await admin('PUT', '/v1/admin/config', body);
        expect(r.body.error?.code, code).toBe(code);
        expect(r.status).toBe(status);
      };
      const stranger = randomWallet();
      const byStranger = await signConfig(stranger, t.domain, testConfig(v));
      await expectCode(byStranger, 403, 'CONFIG_WRONG_SIGNER');
      await expectCode({ ...byStranger, signer: t.admin.address }, 403, 'CONFIG_WRONG_SIGNER');
      await expectCode(
        await signConfig(t.admin, unionDomain(1, TEST_DATA_UNION), testConfig(v)),
        403,
        'CONFIG_WRONG_SIGNER',
      );
      const good = await signConfig(t.admin, t.domain, testConfig(v));
      await expectCode({ ...good, signature: `0x${'00'.repeat(65)}` }, 400, 'CONFIG_BAD_SIGNATURE');
      await expectCode({ config: { version: v } }, 400, 'CONFIG_MALFORMED');
      const withCategory = (id: number, key: string) =>
        testConfig(v, { categories: [{ id, key, label: 'X', description: 'X.', domains: [] }] });
      await expectCode(
        await signConfig(t.admin, t.domain, withCategory(CONFIG_CATEGORIES[0]!.id, 'health')),
        422,
        'CONFIG_SENSITIVE_CATEGORY',
      );
      await expectCode(
        await signConfig(t.admin, t.domain, withCategory(65_000, 'made-up')),
        422,
        'CONFIG_UNKNOWN_CATEGORY',
      );
      await expectCode(
        await signConfig(
          t.admin,
          t.domain,
          withCategory(CONFIG_CATEGORIES[0]!.id, CONFIG_CATEGORIES[1]!.key),
        ),
        422,
        'CONFIG_CATEGORY_MISMATCH',
      );
      expect((await t.call('PUT', '/v1/admin/config', good)).status).toBe(401);
    });
  });
}
