/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return --
   Response bodies are loosely typed JSON here on purpose: the assertions (expect) check their shape. */
import { describe, expect, it } from 'vitest';

import { unionDomain } from '../../../extension/protocol/eip712.ts';
import { randomWallet, signJoin, signLeave, TEST_DATA_UNION } from '../../test-support/fixtures.ts';
import type { Env } from './suite-env.ts';

export function joinSuite(env: Env): void {
  describe('POST /v1/join and /v1/leave', () => {
    const newSecret = async (body: Record<string, unknown> = {}) => {
      const admin = await env().t.adminClient();
      const r = await admin<{ secret: string; id: string }>('POST', '/v1/admin/secrets', body);
      expect(r.status).toBe(201);
      return { ...r.body, admin };
    };

    it('without a secret a new member is pending; joining again answers the same status', async () => {
      const { t } = env();
      const member = randomWallet();
      const first = await t.call(
        'POST',
        '/v1/join',
        await signJoin(member, t.domain, t.clock.nowSeconds()),
      );
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        member: { address: member.address.toLowerCase(), status: 'pending', joinedAt: null },
        secretAccepted: false,
      });
      const again = await t.call(
        'POST',
        '/v1/join',
        await signJoin(member, t.domain, t.clock.nowSeconds()),
      );
      expect(again.body.member).toEqual(first.body.member);
    });

    it('a correct app secret makes the member active at once and logs a join', async () => {
      const { t } = env();
      const { secret } = await newSecret();
      const member = randomWallet();
      const r = await t.call(
        'POST',
        '/v1/join',
        await signJoin(member, t.domain, t.clock.nowSeconds(), secret),
      );
      expect(r.body).toMatchObject({ member: { status: 'active' }, secretAccepted: true });
      const log = await t.call('GET', '/v1/membership-log?after=0&limit=1000');
      expect(log.body.entries.at(-1)).toMatchObject({
        type: 'join',
        member: member.address.toLowerCase(),
      });
      const again = await t.call(
        'POST',
        '/v1/join',
        await signJoin(member, t.domain, t.clock.nowSeconds(), secret),
      );
      expect(again.body).toMatchObject({ member: { status: 'active' }, secretAccepted: false });
    });

    it('a pending member who later presents a valid secret becomes active', async () => {
      const { t } = env();
      const member = randomWallet();
      await t.call('POST', '/v1/join', await signJoin(member, t.domain, t.clock.nowSeconds()));
      const { secret } = await newSecret();
      const r = await t.call(
        'POST',
        '/v1/join',
        await signJoin(member, t.domain, t.clock.nowSeconds(), secret),
      );
      expect(r.body.member.status).toBe('active');
    });

    it('wrong, revoked, expired and used-up secrets leave the member pending', async () => {
      const { t } = env();
      const join = async (secret: string) =>
        (
          await t.call(
            'POST',
            '/v1/join',
            await signJoin(randomWallet(), t.domain, t.clock.nowSeconds(), secret),
          )
        ).body;
      expect(await join('not-a-secret')).toMatchObject({
        member: { status: 'pending' },
        secretAccepted: false,
      });
      const real = await newSecret();
      const forged = real.secret.slice(0, -4) + 'AAAA';
      expect((await join(forged)).member.status).toBe('pending');
      const once = await newSecret({ maxUses: 1 });
      expect((await join(once.secret)).member.status).toBe('active');
      expect((await join(once.secret)).member.status).toBe('pending');
      const expired = await newSecret({ expiresAt: new Date(t.clock.now() - 1000).toISOString() });
      expect((await join(expired.secret)).member.status).toBe('pending');
      const revoked = await newSecret();
      expect((await revoked.admin('DELETE', `/v1/admin/secrets/${revoked.id}`)).status).toBe(200);
      expect((await join(revoked.secret)).member.status).toBe('pending');
    });

    it('with auto-join switched off even a valid secret only makes the member pending', async () => {
      const { t } = env();
      const { secret, admin } = await newSecret();
      expect((await admin('PUT', '/v1/admin/settings', { autoJoin: false })).body).toEqual({
        autoJoin: false,
      });
      try {
        expect((await t.call('GET', '/v1/union')).body.joinPolicy.autoJoin).toBe(false);
        const r = await t.call(
          'POST',
          '/v1/join',
          await signJoin(randomWallet(), t.domain, t.clock.nowSeconds(), secret),
        );
        expect(r.body).toMatchObject({ member: { status: 'pending' }, secretAccepted: false });
      } finally {
        await admin('PUT', '/v1/admin/settings', { autoJoin: true });
      }
    });

    it('refuses requests signed by someone else, for another chain or another contract (401)', async () => {
      const { t } = env();
      const member = randomWallet();
      const forged = await signJoin(randomWallet(), t.domain, t.clock.nowSeconds());
      forged.request.member = member.address;
      for (const body of [
        forged,
        await signJoin(member, unionDomain(1, TEST_DATA_UNION), t.clock.nowSeconds()),
        await signJoin(member, unionDomain(31337, `0x${'22'.repeat(20)}`), t.clock.nowSeconds()),
      ]) {
        const r = await t.call('POST', '/v1/join', body);
        expect(r.status).toBe(401);
        expect(r.body.error.code).toBe('INVALID_SIGNATURE');
      }
    });

    it('refuses requests older than 10 minutes or from the future (422)', async () => {
      const { t } = env();
      const member = randomWallet();
      const old = await t.call(
        'POST',
        '/v1/join',
        await signJoin(member, t.domain, t.clock.nowSeconds() - 601),
      );
      expect(old.status).toBe(422);
      expect(old.body.error.code).toBe('JOIN_EXPIRED');
      const future = await t.call(
        'POST',
        '/v1/join',
        await signJoin(member, t.domain, t.clock.nowSeconds() + 120),
      );
      expect(future.status).toBe(422);
      expect(future.body.error.code).toBe('JOIN_FROM_FUTURE');
    });

    it('refuses malformed join bodies with 400 BAD_REQUEST', async () => {
      const { t } = env();
      const good = await signJoin(randomWallet(), t.domain, t.clock.nowSeconds());
      for (const body of [
        {},
        { ...good, extra: 1 },
        { ...good, signature: '0x12' },
        { ...good, request: { member: 'x', issuedAt: 1 } },
      ]) {
        const r = await t.call('POST', '/v1/join', body);
        expect(r.status).toBe(400);
        expect(r.body.error.code).toBe('BAD_REQUEST');
      }
    });

    it('a member can leave (logged), leaving twice is harmless, and a leaver who rejoins is pending', async () => {
      const { t } = env();
      const member = await t.activeMember();
      const left = await t.call(
        'POST',
        '/v1/leave',
        await signLeave(member, t.domain, t.clock.nowSeconds()),
      );
      expect(left.status).toBe(200);
      expect(left.body.member.status).toBe('left');
      const log = await t.call('GET', '/v1/membership-log?after=0&limit=1000');
      expect(log.body.entries.at(-1)).toMatchObject({
        type: 'leave',
        member: member.address.toLowerCase(),
      });
      const again = await t.call(
        'POST',
        '/v1/leave',
        await signLeave(member, t.domain, t.clock.nowSeconds()),
      );
      expect(again.body.member.status).toBe('left');
      const back = await t.call(
        'POST',
        '/v1/join',
        await signJoin(member, t.domain, t.clock.nowSeconds()),
      );
      expect(back.body.member.status).toBe('pending');
      const stranger = await t.call(
        'POST',
        '/v1/leave',
        await signLeave(randomWallet(), t.domain, t.clock.nowSeconds()),
      );
      expect(stranger.status).toBe(404);
      expect(stranger.body.error.code).toBe('MEMBER_NOT_FOUND');
      const forged = await signLeave(randomWallet(), t.domain, t.clock.nowSeconds());
      forged.request.member = member.address;
      expect((await t.call('POST', '/v1/leave', forged)).body.error.code).toBe('INVALID_SIGNATURE');
    });

    it('rate-limits joins per IP with 429 RATE_LIMITED and Retry-After', async () => {
      const { t } = env();
      const sib = await t.sibling({
        rateLimits: { joinsPerIp: 2, reportRequestsPerIp: 0, reportsPerMember: 0, adminPerIp: 0 },
      });
      try {
        const statuses: number[] = [];
        let retryAfter: string | null = null;
        for (let i = 0; i < 3; i++) {
          const r = await sib.call(
            'POST',
            '/v1/join',
            await signJoin(randomWallet(), t.domain, t.clock.nowSeconds()),
          );
          statuses.push(r.status);
          if (r.status === 429) {
            expect(r.body.error.code).toBe('RATE_LIMITED');
            retryAfter = r.headers.get('retry-after');
          }
        }
        expect(statuses).toEqual([200, 200, 429]);
        expect(Number(retryAfter)).toBeGreaterThan(0);
      } finally {
        await sib.close();
      }
    });
  });
}
