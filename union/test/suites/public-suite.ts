/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument --
   Response bodies are loosely typed JSON here on purpose: the assertions (expect) check their shape. */
import { describe, expect, it } from 'vitest';

import { EXTENSION_ORIGIN } from '../../config/options.ts';
import { verifyLogChain, type LogEntry } from '../../domain/membership-log.ts';
import { TEST_CHAIN_ID, TEST_DATA_UNION, randomWallet } from '../../test-support/fixtures.ts';
import { countingReads } from '../../test-support/table-reads.ts';
import { brokenDb, type Env } from './suite-env.ts';

export function publicSuite(env: Env): void {
  describe('public endpoints', () => {
    it('GET /healthz answers ok with the driver name', async () => {
      const r = await env().t.call('GET', '/healthz');
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ ok: true, database: env().factory.driver });
    });

    it('GET /v1/union publishes chain, contracts, admin, operator, join policy, config and epochs', async () => {
      const { t } = env();
      const r = await t.call('GET', '/v1/union');
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        chainId: TEST_CHAIN_ID,
        contracts: { dataUnion: TEST_DATA_UNION },
        admin: t.admin.address.toLowerCase(),
        operator: expect.stringMatching(/^0x[0-9a-f]{40}$/),
        joinPolicy: { autoJoin: true },
        // The test union runs with developmentPrivacyLimits (test-union.ts).
        privacyLimits: 'development',
        config: { config: { version: 1 } },
        epoch: {
          epochSeconds: 3600,
          acceptanceWindowSeconds: 604_800,
          activityWindowSeconds: 604_800,
        },
        domain: { name: 'Crowdsell', version: '1', chainId: TEST_CHAIN_ID },
      });
    });

    it('GET /v1/config serves the signed config; /v1/configs/:version any stored version', async () => {
      const { t } = env();
      const current = await t.call('GET', '/v1/config');
      expect(current.status).toBe(200);
      expect(current.body).toMatchObject({ config: { version: 1 }, signer: t.admin.address });
      const v1 = await t.call('GET', '/v1/configs/1');
      expect(v1.body).toEqual(current.body);
      const missing = await t.call('GET', '/v1/configs/999');
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ error: { code: 'CONFIG_NOT_FOUND' } });
      const bad = await t.call('GET', '/v1/configs/abc');
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    });

    it('GET /v1/members/:address gives status and times, 404 for strangers, 400 for non-addresses', async () => {
      const { t } = env();
      const member = await t.activeMember();
      const r = await t.call('GET', `/v1/members/${member.address}`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ address: member.address.toLowerCase(), status: 'active' });
      expect(Date.parse(r.body.joinedAt)).toBeGreaterThan(0);
      const stranger = await t.call('GET', `/v1/members/${randomWallet().address}`);
      expect(stranger.status).toBe(404);
      expect(stranger.body.error.code).toBe('MEMBER_NOT_FOUND');
      expect((await t.call('GET', '/v1/members/0x1234')).body.error.code).toBe('BAD_REQUEST');
    });

    it('GET /v1/membership-log pages through a hash chain anyone can verify', async () => {
      const { t } = env();
      await t.activeMember();
      await t.activeMember();
      const all: LogEntry[] = [];
      let after = 0;
      for (;;) {
        const page = await t.call<{
          entries: LogEntry[];
          next: number | null;
          head: { seq: number };
        }>('GET', `/v1/membership-log?after=${after}&limit=1`);
        expect(page.status).toBe(200);
        all.push(...page.body.entries);
        if (page.body.next === null) break;
        after = page.body.next;
      }
      expect(all.length).toBeGreaterThanOrEqual(2);
      const head = verifyLogChain(all);
      const last = await t.call('GET', '/v1/membership-log?after=0&limit=1000');
      expect(last.body.head).toEqual(head);
      expect((await t.call('GET', '/v1/membership-log?limit=0')).status).toBe(400);
    });

    it('unknown routes answer 404 NOT_FOUND in the error shape', async () => {
      const r = await env().t.call('GET', '/v1/nothing-here');
      expect(r.status).toBe(404);
      expect(r.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
      // A known path with another method is 405 with Allow (issue 16; front-door-errors.test.ts).
      expect((await env().t.call('DELETE', '/v1/union')).body.error.code).toBe(
        'METHOD_NOT_ALLOWED',
      );
    });

    it('bad JSON is 400, non-JSON bodies 415, oversized bodies 413, all in the error shape', async () => {
      const { t } = env();
      const badJson = await t.call('POST', '/v1/join', '{"request":');
      expect(badJson.status).toBe(400);
      expect(badJson.body.error.code).toBe('BAD_REQUEST');
      const text = await t.call('POST', '/v1/join', 'hello', { 'content-type': 'text/plain' });
      expect(text.status).toBe(415);
      expect(text.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      const big = await t.call('POST', '/v1/reports', { pad: 'x'.repeat(70_000) });
      expect(big.status).toBe(413);
      expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
      const proto = await t.call('POST', '/v1/join', '{"__proto__":{"x":1}}');
      expect(proto.status).toBe(400);
    });

    it('CORS allows the extension origin (and preflight), not other origins', async () => {
      const { t } = env();
      const r = await t.call('GET', '/v1/union', undefined, { origin: EXTENSION_ORIGIN });
      expect(r.headers.get('access-control-allow-origin')).toBe(EXTENSION_ORIGIN);
      const pre = await t.call('OPTIONS', '/v1/reports', undefined, {
        origin: EXTENSION_ORIGIN,
        'access-control-request-method': 'POST',
      });
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
      const other = await t.call('GET', '/v1/union', undefined, { origin: 'https://evil.example' });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('CORS lets any origin read the product, its datasheet and sample (the marketplace page), nothing else', async () => {
      const { t } = env();
      const origin = { origin: 'https://another-union.example' };
      for (const path of [
        '/v1/product',
        '/v1/product/datasheet?format=md',
        '/v1/product/sample?format=json',
      ]) {
        const r = await t.call('GET', path, undefined, origin);
        expect(r.headers.get('access-control-allow-origin'), path).toBe('*');
        expect(r.headers.get('access-control-allow-credentials'), path).toBeNull();
      }
      for (const [method, path] of [
        ['GET', '/v1/product/aggregates'],
        ['GET', '/v1/product/nonce'],
        ['GET', '/v1/admin/members'],
        ['GET', '/v1/membership-log'],
        ['POST', '/v1/product'],
      ] as const) {
        const r = await t.call(method, path, undefined, origin);
        expect(r.headers.get('access-control-allow-origin'), `${method} ${path}`).toBeNull();
      }
      const pre = await t.call('OPTIONS', '/v1/product/aggregates', undefined, {
        ...origin,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      });
      expect(pre.headers.get('access-control-allow-origin')).toBeNull();
      expect(pre.headers.get('access-control-allow-headers')).toBeNull();
    });

    it('GET /metrics exposes requests by route/status, report outcomes and members by status', async () => {
      const r = await env().t.call('GET', '/metrics');
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toContain('text/plain');
      expect(r.text).toMatch(
        /crowdsell_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/,
      );
      expect(r.text).toMatch(/crowdsell_members\{status="active"\} [1-9]/);
      expect(r.text).toContain('# TYPE crowdsell_reports_rejected_total counter');
    });

    it('GET /metrics and GET /v1/product count members without reading the members table', async () => {
      const { t, db } = env();
      await t.activeMember();
      const counting = countingReads(db, 'members');
      const sib = await t.sibling({ db: counting.db });
      try {
        const metrics = await sib.call('GET', '/metrics');
        expect(metrics.text).toMatch(/crowdsell_members\{status="active"\} [1-9]/);
        const product = await sib.call('GET', '/v1/product');
        expect(product.status).toBe(200);
        expect(counting.reads()).toBe(0);
      } finally {
        await sib.close();
      }
    });

    it('a failing database answers 500 INTERNAL and /healthz 503 NOT_READY; a stalled one 503 TIMEOUT', async () => {
      const { t, db } = env();
      const failing = brokenDb(db, 'fail');
      const sib = await t.sibling({ db: failing.db });
      try {
        failing.arm();
        const health = await sib.call('GET', '/healthz');
        expect(health.status).toBe(503);
        expect(health.body.error.code).toBe('NOT_READY');
        const internal = await sib.call('GET', `/v1/members/${randomWallet().address}`);
        expect(internal.status).toBe(500);
        expect(internal.body).toEqual({ error: { code: 'INTERNAL', message: expect.any(String) } });
        expect(internal.text).not.toContain('database down');
      } finally {
        await sib.close();
      }
      const stalled = brokenDb(db, 'stall');
      const slow = await t.sibling({ db: stalled.db, requestTimeoutMs: 300 });
      try {
        stalled.arm();
        const r = await slow.call('GET', `/v1/members/${randomWallet().address}`);
        expect(r.status).toBe(503);
        expect(r.body.error.code).toBe('TIMEOUT');
      } finally {
        await slow.close();
      }
    });
  });
}
