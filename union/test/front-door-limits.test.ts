/**
 * The front door's limits (issue 16, items 7–9) over real HTTP: which peer's X-Forwarded-For is
 * believed, reports charged one by one, a per-second cap on signature recoveries, a handler
 * timeout on report uploads, per-client limits and caches on public reads, and an unreachable
 * chain node answered 503 instead of 500.
 */
/* eslint-disable @typescript-eslint/no-unsafe-member-access --
   Response bodies are loosely typed JSON here on purpose: the assertions (expect) check their shape. */
import { afterEach, describe, expect, it } from 'vitest';

import type { TrustProxy } from '../config/trust-proxy.ts';
import type { Db } from '../db/db.ts';
import {
  NO_RATE_LIMITS,
  randomWallet,
  signJoin,
  signReport,
  testReport,
} from '../test-support/fixtures.ts';
import { freshPglite } from '../test-support/pglite-template.ts';
import {
  startTestUnion,
  type TestUnion,
  type TestUnionOptions,
} from '../test-support/test-union.ts';
import { unreachableChain } from '../test-support/unreachable-chain.ts';
import { brokenDb } from './suites/suite-env.ts';

const open: { t: TestUnion; db: Db }[] = [];

async function union(options: TestUnionOptions, wrap?: (db: Db) => Db): Promise<TestUnion> {
  const db = await freshPglite();
  const t = await startTestUnion(wrap ? wrap(db) : db, options);
  open.push({ t, db });
  return t;
}

afterEach(async () => {
  for (const { t, db } of open.splice(0)) {
    await t.close();
    await db.close();
  }
});

const limits = (overrides: Record<string, number>) => ({
  rateLimits: { ...NO_RATE_LIMITS, ...overrides },
});

/** An unsigned-garbage join: it costs a join token before it is refused as malformed (400). */
const joinFrom = (t: TestUnion, forwardedFor?: string) =>
  t.call('POST', '/v1/join', {}, forwardedFor ? { 'x-forwarded-for': forwardedFor } : {});

describe('the client address behind proxies (item 7)', () => {
  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const untrusted: TrustProxy[] = [false, ['10.0.0.0/8']];
    for (const trustProxy of untrusted) {
      const t = await union({ ...limits({ joinsPerIp: 1 }), trustProxy });
      expect((await joinFrom(t, '198.51.100.1')).status).toBe(400);
      const forged = await joinFrom(t, '198.51.100.2');
      expect(forged.status, `trustProxy ${JSON.stringify(trustProxy)}`).toBe(429);
      expect(forged.body.error.code).toBe('RATE_LIMITED');
    }
  });

  it("believes a listed proxy's header: each forwarded client has its own limit", async () => {
    const t = await union({ ...limits({ joinsPerIp: 1 }), trustProxy: ['loopback'] });
    expect((await joinFrom(t, '198.51.100.1')).status).toBe(400);
    expect((await joinFrom(t, '198.51.100.1')).status).toBe(429);
    expect((await joinFrom(t, '198.51.100.2')).status).toBe(400);
  });

  it('with a hop count, takes the address the proxy appended, not what the client wrote before it', async () => {
    const t = await union({ ...limits({ joinsPerIp: 1 }), trustProxy: 1 });
    expect((await joinFrom(t, '203.0.113.9, 198.51.100.1')).status).toBe(400);
    expect((await joinFrom(t, '203.0.113.10, 198.51.100.1')).status).toBe(429);
    expect((await joinFrom(t, '203.0.113.9, 198.51.100.2')).status).toBe(400);
  });
});

describe('reports and signature recoveries are charged one by one (item 8)', () => {
  it('a batch costs one report-limit token per report; the items over the limit are refused', async () => {
    const t = await union(limits({ reportRequestsPerIp: 3 }));
    const stranger = randomWallet();
    const now = t.clock.nowSeconds();
    const reports = await Promise.all(
      [1, 2, 3, 4, 5].map((h) => signReport(stranger, t.domain, testReport(stranger, now, h))),
    );
    const batch = await t.call<{ results: { error?: { code: string } }[] }>(
      'POST',
      '/v1/reports/batch',
      { reports },
    );
    expect(batch.status).toBe(200);
    expect(batch.body.results.map((r) => r.error?.code)).toEqual([
      'MEMBER_NOT_ACTIVE',
      'MEMBER_NOT_ACTIVE',
      'MEMBER_NOT_ACTIVE',
      'RATE_LIMITED',
      'RATE_LIMITED',
    ]);
    const single = await t.call('POST', '/v1/reports', reports[0]);
    expect(single.status).toBe(429);
    expect(Number(single.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('caps signature recoveries per client per second, across reports and joins', async () => {
    const t = await union(limits({ recoveriesPerIpPerSecond: 2 }));
    const stranger = randomWallet();
    const now = t.clock.nowSeconds();
    const reports = await Promise.all(
      [1, 2, 3].map((h) => signReport(stranger, t.domain, testReport(stranger, now, h))),
    );
    const batch = await t.call('POST', '/v1/reports/batch', { reports });
    expect(batch.body).toMatchObject({ accepted: 0, rejected: 3 });
    expect(batch.body.results[2].error.code).toBe('RATE_LIMITED');
    const join = await signJoin(randomWallet(), t.domain, now);
    expect((await t.call('POST', '/v1/join', join)).status).toBe(429);
    t.clock.advance(1000);
    expect((await t.call('POST', '/v1/join', join)).status).toBe(200);
  });

  it('gives report uploads a handler timeout: a stalled database answers 503 TIMEOUT', async () => {
    let arm = () => undefined as void;
    const t = await union({ requestTimeoutMs: 300 }, (db) => {
      const broken = brokenDb(db, 'stall');
      arm = () => broken.arm();
      return broken.db;
    });
    const member = await t.activeMember();
    const report = await signReport(member, t.domain, testReport(member, t.clock.nowSeconds()));
    arm();
    for (const [path, body] of [
      ['/v1/reports', report],
      ['/v1/reports/batch', { reports: [report] }],
    ] as const) {
      const r = await t.call('POST', path, body);
      expect(r.status, path).toBe(503);
      expect(r.body.error).toEqual({
        code: 'TIMEOUT',
        message: 'The union took too long to answer; retry later.',
      });
    }
  });
});

describe('public reads that reach the chain or scan tables (item 9)', () => {
  it('limit each client across the product summary and sample', async () => {
    const t = await union(limits({ publicReadsPerIp: 2 }));
    expect((await t.call('GET', '/v1/product')).status).toBe(200);
    expect((await t.call('GET', '/v1/product/sample')).status).toBe(200);
    const third = await t.call('GET', '/v1/product');
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe('RATE_LIMITED');
  });

  it('serve the product summary from a short cache, dropped when an epoch is published', async () => {
    let productScans = 0;
    const t = await union({}, (db) => ({
      ...db,
      query: (sql, params) => {
        if (/FROM product_epochs/.test(sql)) productScans++;
        return db.query(sql, params);
      },
    }));
    await t.call('GET', '/v1/product');
    const afterFirst = productScans;
    expect(afterFirst).toBeGreaterThan(0);
    await t.call('GET', '/v1/product');
    await t.call('GET', '/v1/product/sample');
    await t.call('GET', '/v1/product/sample');
    const afterCached = productScans;
    expect(afterCached - afterFirst).toBeLessThanOrEqual(1); // the first sample only
    t.clock.advance(31_000);
    await t.call('GET', '/v1/product');
    expect(productScans).toBeGreaterThan(afterCached);
  });

  it('answer 503 CHAIN_UNAVAILABLE with a sentence while the chain node is unreachable', async () => {
    const t = await union(await unreachableChain());
    const member = randomWallet().address;
    // A signed-in researcher: checking the subscription asks the Marketplace.
    const researcher = randomWallet();
    const nonce = await t.call<{ nonce: string }>('GET', '/v1/product/nonce');
    const message = t.siweMessage(researcher, nonce.body.nonce);
    const session = await t.call<{ token: string }>('POST', '/v1/product/session', {
      message,
      signature: await researcher.signMessage(message),
    });
    const bearer = { authorization: `Bearer ${session.body.token}` };
    for (const path of [
      '/v1/product',
      `/v1/members/${member}/earnings`,
      `/v1/members/${member}/proof`,
      '/v1/product/aggregates',
      '/v1/product/stream',
    ]) {
      const r = await t.call('GET', path, undefined, bearer);
      expect(r.status, path).toBe(503);
      expect(r.body.error).toEqual({
        code: 'CHAIN_UNAVAILABLE',
        message: 'The union cannot reach its chain node right now; retry later.',
      });
      expect(r.headers.get('retry-after')).toBe('30');
    }
  });
});
