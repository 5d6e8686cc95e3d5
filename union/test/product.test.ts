/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument --
   response bodies are inspected loosely in tests */
/**
 * The data product end to end (issue 8): members' signed reports → aggregation job → researcher
 * SIWE sign-in → Marketplace subscription checked on the in-process EVM (one chain for this file)
 * → aggregates as JSON, CSV, NDJSON and Parquet, the SSE feed, the public endpoints.
 */
import type { Wallet } from 'ethers';
import { parseUnits } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  startChainServer,
  devAccount,
  signerFor,
  type ChainServer,
} from '../../contracts/chain.ts';
import { unionFixture, type UnionFixture } from '../../contracts/testing/fixture.ts';
import { defaultPrivacy } from '../../extension/protocol/privacy.ts';
import type { Db } from '../db/db.ts';
import { decodeCsv, decodeNdjson, decodeParquet, productTable } from '../product/index.ts';
import { client, type Call } from '../test-support/http-client.ts';
import {
  CONFIG_CATEGORIES,
  signConfig,
  signReport,
  siweMessageFor,
  testConfig,
  testReport,
} from '../test-support/fixtures.ts';
import { freshPglite } from '../test-support/pglite-template.ts';
import { startTestUnion, type TestUnion } from '../test-support/test-union.ts';

const K = 3;
const [CAT_A, CAT_B, CAT_C] = CONFIG_CATEGORIES.map((c) => c.id);

let f: UnionFixture;
let chain: ChainServer;
let db: Db;
let t: TestUnion;
let offsetMs = 0;
let researcher: Wallet;
let epochStart: number;
let members: Wallet[] = [];

const nowSeconds = () => Math.floor(Date.now() / 1000);

async function report(
  member: Wallet,
  counts: { category: number; visits: number; activeSeconds: number }[],
) {
  const signed = await signReport(
    member,
    t.domain,
    testReport(member, nowSeconds(), 2, { configVersion: 2, counts }),
  );
  const r = await t.call('POST', '/v1/reports', signed);
  expect(r.status).toBe(201);
}

async function signIn(wallet: Wallet): Promise<Call> {
  const nonce = await t.call<{ nonce: string }>('GET', '/v1/product/nonce');
  const message = siweMessageFor(wallet, t.url, nonce.body.nonce);
  const session = await t.call<{ token: string }>('POST', '/v1/product/session', {
    message,
    signature: await wallet.signMessage(message),
  });
  expect(session.status).toBe(201);
  return client(t.url, { authorization: `Bearer ${session.body.token}` });
}

beforeAll(async () => {
  f = await unionFixture({ pricePerSecond: 1_000n });
  chain = await startChainServer({ port: 0 });
  await (await f.token.mint(f.researcher.address, parseUnits('1000', 18))).wait();
  await (await f.token.connect(f.researcher).approve(f.deployment.marketplace, 2n ** 255n)).wait();
  researcher = signerFor(devAccount(3).privateKey, f.provider);
  db = await freshPglite();
  t = await startTestUnion(db, {
    now: () => Date.now() + offsetMs,
    productIntervalMs: 0,
    productGraceSeconds: 0,
    product: {
      rpcUrl: chain.url,
      marketplace: f.deployment.marketplace,
      productId: f.deployment.productId,
    },
  });
  const admin = await t.adminClient();
  const v2 = testConfig(2, { privacy: { ...defaultPrivacy, kThreshold: K } });
  expect(
    (await admin('PUT', '/v1/admin/config', await signConfig(t.admin, t.domain, v2))).status,
  ).toBe(201);
  members = [];
  for (let i = 0; i < K + 1; i++) members.push(await t.activeMember());
  // K + 1 members report category A; only K - 1 report category B (below k); nobody reports C.
  for (const [i, m] of members.entries()) {
    const counts = [{ category: CAT_A!, visits: 3, activeSeconds: 120 }];
    if (i < K - 1) counts.push({ category: CAT_B!, visits: 1, activeSeconds: 60 });
    await report(m, counts);
  }
  epochStart = testReport(members[0]!, nowSeconds(), 2).epochStart;
  const published = await t.server.product.aggregateNow();
  expect(published.map((e) => [e.epochStart, e.revision])).toEqual([[epochStart, 1]]);
}, 120_000);

afterAll(async () => {
  await t?.close();
  await db?.close();
  await chain?.close();
});

describe('public product endpoints', () => {
  it('GET /v1/product describes categories, epochs and the price from the marketplace', async () => {
    const r = await t.call('GET', '/v1/product');
    expect(r.status).toBe(200);
    expect(r.body.epochs.count).toBe(1);
    expect(r.body.categories.map((c: { id: number }) => c.id)).toEqual([CAT_A, CAT_B, CAT_C]);
    expect(r.body.subscription).toMatchObject({ pricePerSecond: '1000', active: true });
  });

  it('serves the datasheet as JSON and Markdown, and the sample without auth', async () => {
    expect((await t.call('GET', '/v1/product/datasheet')).status).toBe(200);
    const md = await t.call('GET', '/v1/product/datasheet?format=md');
    expect(md.headers.get('content-type')).toContain('text/markdown');
    expect(md.text).toContain('# ');
    const sample = await t.call('GET', '/v1/product/sample');
    expect(sample.status).toBe(200);
    expect(sample.body.rows).toEqual([]); // every epoch is younger than the sample's minimum age
    const csv = await t.call('GET', '/v1/product/sample?format=csv&period=week');
    expect(csv.headers.get('content-disposition')).toContain('.csv');
  });

  it('answers 400 with a sentence for bad query parameters', async () => {
    const r = await t.call('GET', '/v1/product/aggregates?format=xml');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('BAD_REQUEST');
    expect((await t.call('GET', '/v1/product/aggregates?from=yesterday')).status).toBe(400);
  });
});

describe('researcher access and data', () => {
  let call: Call;

  it('no token → 401 AUTH_REQUIRED', async () => {
    const r = await t.call('GET', '/v1/product/aggregates');
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('AUTH_REQUIRED');
    expect(
      (await t.call('GET', '/v1/product/aggregates', undefined, { authorization: 'Bearer nope' }))
        .status,
    ).toBe(401);
  });

  it('signed in without a subscription → 403; buying one on chain unlocks access', async () => {
    call = await signIn(researcher);
    const refused = await call('GET', '/v1/product/aggregates');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('SUBSCRIPTION_EXPIRED');
    expect(refused.body.error.message).toMatch(/no subscription/);
    const { pricePerSecond } = await f.market.getProduct(f.deployment.productId);
    await (
      await f.market.connect(f.researcher).buy(f.deployment.productId, 300n, 300n * pricePerSecond)
    ).wait();
    const ok = await call('GET', '/v1/product/aggregates');
    expect(ok.status).toBe(200);
    expect(ok.body.rows.length).toBeGreaterThan(0);
  });

  it('respects the k-threshold end to end: below-k categories are suppressed without numbers', async () => {
    const { rows } = (await call('GET', `/v1/product/aggregates?from=${epochStart}`)).body;
    expect(
      rows.map((r: { category_id: number; suppressed: boolean }) => [r.category_id, r.suppressed]),
    ).toEqual([
      [CAT_A, false],
      [CAT_B, true],
      [CAT_C, true],
    ]);
    expect(rows[0]).toMatchObject({
      contributors: K + 1,
      reporting_members: K + 1,
      k_threshold: K,
      revision: 1,
    });
    expect(Object.keys(rows[1]).sort()).toEqual([
      'category_id',
      'category_key',
      'epoch_seconds',
      'epoch_start',
      'revision',
      'suppressed',
    ]);
    const only = await call('GET', `/v1/product/aggregates?categories=${CAT_A}`);
    expect(only.body.rows).toHaveLength(1);
  });

  it('CSV, NDJSON and Parquet downloads hold the same rows as the JSON', async () => {
    const { rows } = (await call('GET', '/v1/product/aggregates')).body;
    const token = await signInToken();
    const get = (format: string) =>
      fetch(`${t.url}/v1/product/aggregates?format=${format}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    const csv = await get('csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toBe(
      'attachment; filename="crowdsell-aggregates.csv"',
    );
    expect(decodeCsv(await csv.text(), productTable)).toEqual(rows);
    expect(decodeNdjson(await (await get('ndjson')).text(), productTable)).toEqual(rows);
    const parquet = new Uint8Array(await (await get('parquet')).arrayBuffer());
    expect(await decodeParquet(parquet, productTable)).toEqual(rows);
  });

  it('the SSE feed delivers a newly finalised (revised) epoch to a connected client', async () => {
    const token = await signInToken();
    const controller = new AbortController();
    const response = await fetch(`${t.url}/v1/product/stream`, {
      headers: { authorization: `Bearer ${token}` },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const late = await t.activeMember();
    await report(late, [{ category: CAT_A!, visits: 2, activeSeconds: 30 }]);
    const published = await t.server.product.aggregateNow();
    expect(published.map((e) => e.revision)).toEqual([2]);
    while (!text.includes('event: epoch')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    while (!text.includes('\n\n', text.indexOf('event: epoch'))) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    const data = JSON.parse(/event: epoch\nid: .*\ndata: (.*)\n/.exec(text)![1]!);
    expect(data).toMatchObject({ epochSeconds: 3600, revision: 2 });
    expect(data.rows[0]).toMatchObject({ category_id: CAT_A, contributors: K + 2 });
    controller.abort();
    // an unchanged database publishes nothing new
    expect(await t.server.product.aggregateNow()).toEqual([]);
  });

  it('an expired subscription → 403 with a sentence naming the end date', async () => {
    offsetMs = 7 * 60_000; // the 300 s subscription has ended; the session (10 min) has not
    try {
      const r = await call('GET', '/v1/product/aggregates');
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('SUBSCRIPTION_EXPIRED');
      expect(r.body.error.message).toMatch(
        /^The subscription of 0x[0-9a-f]{40} ended on \d{4}-\d\d-\d\dT.*Z; renew it/,
      );
    } finally {
      offsetMs = 0;
    }
  });
});

async function signInToken(): Promise<string> {
  const nonce = await t.call<{ nonce: string }>('GET', '/v1/product/nonce');
  const message = siweMessageFor(researcher, t.url, nonce.body.nonce);
  const session = await t.call<{ token: string }>('POST', '/v1/product/session', {
    message,
    signature: await researcher.signMessage(message),
  });
  return session.body.token;
}
