/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument --
   response bodies are inspected loosely in tests */
/**
 * The data product end to end (issues 8 and 15): members' signed reports → the job publishes the
 * epoch once, after its acceptance window closed → researcher SIWE sign-in → Marketplace
 * subscription checked on the in-process EVM (one chain for this file) → aggregates as JSON, CSV,
 * NDJSON and Parquet, the SSE feed, the public endpoints; a late report changes nothing.
 *
 * One clock: the union's test clock starts at the chain's latest block time, and every purchase
 * is mined at the clock's instant (`evm_setNextBlockTimestamp`), so nothing reads the wall clock.
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
import { DEVELOPMENT_LIMITS } from '../../extension/protocol/privacy-budget.ts';
import { defaultPrivacy } from '../../extension/protocol/privacy.ts';
import { DEFAULT_ACCEPTANCE_WINDOW_SECONDS } from '../../extension/protocol/report-rules.ts';
import type { SignedReport } from '../../extension/protocol/wire.ts';
import type { Db } from '../db/db.ts';
import { decodeCsv, decodeNdjson, decodeParquet, productTable } from '../product/index.ts';
import { reportsRepo } from '../repo/reports-repo.ts';
import { client, type Call } from '../test-support/http-client.ts';
import {
  CONFIG_CATEGORIES,
  randomWallet,
  signConfig,
  signReport,
  testConfig,
  testReport,
} from '../test-support/fixtures.ts';
import { freshPglite } from '../test-support/pglite-template.ts';
import { testClock, type TestClock } from '../test-support/test-clock.ts';
import { startTestUnion, type TestUnion } from '../test-support/test-union.ts';

const K = 3;
const [CAT_A, CAT_B, CAT_C] = CONFIG_CATEGORIES.map((c) => c.id);
const HOUR = 3600;
const PRICE_PER_SECOND = 1_000n;
/** Bought once, long enough to outlast the acceptance window the tests wait out. */
const SUBSCRIPTION_SECONDS = 30 * 86_400;
/** The last instant the union accepts a report for the hour starting at `start`. */
const windowEndOf = (start: number) => start + HOUR + DEFAULT_ACCEPTANCE_WINDOW_SECONDS;

let f: UnionFixture;
let chain: ChainServer;
let db: Db;
let t: TestUnion;
let clock: TestClock;
let researcher: Wallet;
let epochStart: number;
let members: Wallet[] = [];

async function signedReportFor(
  member: Wallet,
  counts: { category: number; visits: number; activeSeconds: number }[],
): Promise<SignedReport> {
  const report = testReport(member, clock.nowSeconds(), 0, { configVersion: 2, counts });
  return signReport(member, t.domain, { ...report, epochStart });
}

async function report(
  member: Wallet,
  counts: { category: number; visits: number; activeSeconds: number }[],
) {
  const r = await t.call('POST', '/v1/reports', await signedReportFor(member, counts));
  expect(r.status).toBe(201);
}

async function signInToken(wallet: Wallet = researcher): Promise<string> {
  const nonce = await t.call<{ nonce: string }>('GET', '/v1/product/nonce');
  const message = t.siweMessage(wallet, nonce.body.nonce);
  const session = await t.call<{ token: string }>('POST', '/v1/product/session', {
    message,
    signature: await wallet.signMessage(message),
  });
  expect(session.status).toBe(201);
  return session.body.token;
}

async function signIn(wallet: Wallet = researcher): Promise<Call> {
  return client(t.url, { authorization: `Bearer ${await signInToken(wallet)}` });
}

/** Buys `seconds` of the product in a block mined at the union clock's instant. */
async function buyNow(seconds: number): Promise<void> {
  await f.provider.send('evm_setNextBlockTimestamp', [clock.nowSeconds()]);
  const maxPrice = BigInt(seconds) * PRICE_PER_SECOND;
  await (
    await f.market.connect(f.researcher).buy(f.deployment.productId, seconds, maxPrice)
  ).wait();
}

/** The epoch events of one connected SSE stream, read as far as a test asks. */
function sseEpochs(reader: ReadableStreamDefaultReader<Uint8Array>) {
  const decoder = new TextDecoder();
  let text = '';
  const parsed = () =>
    [...text.matchAll(/event: epoch\nid: (.*)\ndata: (.*)\n\n/g)].map((m) => ({
      id: m[1]!,
      data: JSON.parse(m[2]!),
    }));
  return {
    /** Resolves once `count` epoch events arrived in all (or the stream ended). */
    async first(count: number) {
      while (parsed().length < count) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
      return parsed();
    },
  };
}

beforeAll(async () => {
  f = await unionFixture({ pricePerSecond: PRICE_PER_SECOND });
  chain = await startChainServer({ port: 0 });
  await (await f.token.mint(f.researcher.address, parseUnits('1000', 18))).wait();
  await (await f.token.connect(f.researcher).approve(f.deployment.marketplace, 2n ** 255n)).wait();
  researcher = signerFor(devAccount(3).privateKey, f.provider);
  // Mid-hour, a minute after the chain's latest block: every later block is mined at the clock.
  const latest = (await f.provider.getBlock('latest'))!.timestamp;
  clock = testClock((Math.floor(latest / HOUR) * HOUR + HOUR + 20 * 60) * 1000);
  db = await freshPglite();
  t = await startTestUnion(db, {
    clock,
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
  // The hour that ended 20 minutes ago.
  epochStart = (Math.floor(clock.nowSeconds() / HOUR) - 1) * HOUR;
  members = [];
  for (let i = 0; i < K + 1; i++) members.push(await t.activeMember());
  // K + 1 members report category A; only K - 1 report category B (below k); nobody reports C.
  for (const [i, m] of members.entries()) {
    const counts = [{ category: CAT_A!, visits: 3, activeSeconds: 120 }];
    if (i < K - 1) counts.push({ category: CAT_B!, visits: 1, activeSeconds: 60 });
    await report(m, counts);
  }
}, 120_000);

afterAll(async () => {
  await t?.close();
  await db?.close();
  await chain?.close();
});

describe('one publication per epoch, after its acceptance window (issue 15)', () => {
  let stream: ReturnType<typeof sseEpochs>;
  let controller: AbortController;
  let firstRows: unknown;

  it('publishes nothing while the epoch still accepts reports, not even at the last second', async () => {
    expect(await t.server.product.aggregateNow()).toEqual([]);
    clock.set(windowEndOf(epochStart) * 1000); // the last instant a report for the epoch is accepted
    expect(await t.server.product.aggregateNow()).toEqual([]);
    expect((await t.call('GET', '/v1/product')).body.epochs.count).toBe(0);
  });

  it('publishes the epoch once the window has closed, to the SSE feed once', async () => {
    await buyNow(SUBSCRIPTION_SECONDS);
    const token = await signInToken();
    controller = new AbortController();
    const response = await fetch(`${t.url}/v1/product/stream`, {
      headers: { authorization: `Bearer ${token}` },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    stream = sseEpochs(response.body!.getReader());
    clock.advance(1000);
    const published = await t.server.product.aggregateNow();
    expect(published.map((e) => e.epochStart)).toEqual([epochStart]);
    const [event] = await stream.first(1);
    expect(event!.id).toBe(String(epochStart));
    expect(event!.data).toMatchObject({ epochSeconds: HOUR });
    expect(Object.keys(event!.data).sort()).toEqual(['epochSeconds', 'epochStart', 'rows']);
    firstRows = event!.data.rows;
    expect(await t.server.product.aggregateNow()).toEqual([]);
  });

  it('refuses a late report with REPORT_EPOCH_TOO_OLD; one stored in the race is never published', async () => {
    const late = await t.activeMember();
    const signed = await signedReportFor(late, [
      { category: CAT_A!, visits: 2, activeSeconds: 30 },
    ]);
    const refused = await t.call('POST', '/v1/reports', signed);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('REPORT_EPOCH_TOO_OLD');
    // A report the union accepted just before the window closed and wrote just after publishing.
    const racer = await t.activeMember();
    const raced = await signedReportFor(racer, [
      { category: CAT_A!, visits: 9, activeSeconds: 900 },
      { category: CAT_B!, visits: 9, activeSeconds: 900 },
    ]);
    const { report: body } = raced;
    const inserted = await reportsRepo.insertBatch(
      db,
      [
        {
          member: body.member.toLowerCase(),
          epochStart: body.epochStart,
          epochSeconds: body.epochSeconds,
          configVersion: body.configVersion,
          report: JSON.stringify(body),
          signature: raced.signature,
          digest: `0x${'ab'.repeat(32)}`,
        },
      ],
      clock.date(),
      clock.date(),
    );
    expect(inserted.size).toBe(1);
    // No new publication: nothing to difference, in the store, the downloads or the feed.
    expect(await t.server.product.aggregateNow()).toEqual([]);
    const call = await signIn();
    const { rows } = (await call('GET', `/v1/product/aggregates?from=${epochStart}`)).body;
    expect(rows).toEqual(firstRows);
    // The next epoch the feed sends is a new one, never the first again.
    const next = (Math.floor(clock.nowSeconds() / HOUR) - 1) * HOUR;
    const member = members[0]!;
    const signedNext = await signReport(member, t.domain, {
      ...testReport(member, clock.nowSeconds(), 1, { configVersion: 2 }),
      counts: [{ category: CAT_A!, visits: 1, activeSeconds: 10 }],
    });
    expect((await t.call('POST', '/v1/reports', signedNext)).status).toBe(201);
    clock.set((windowEndOf(next) + 1) * 1000);
    expect((await t.server.product.aggregateNow()).map((e) => e.epochStart)).toEqual([next]);
    const events = await stream.first(2);
    expect(events.map((e) => e.id)).toEqual([String(epochStart), String(next)]);
    const again = await (
      await signIn()
    )('GET', `/v1/product/aggregates?from=${epochStart}&to=${next}`);
    expect(again.body.rows).toEqual(firstRows);
    controller.abort();
  });
});

describe('public product endpoints', () => {
  it('GET /v1/product describes categories, epochs and the price from the marketplace', async () => {
    const r = await t.call('GET', '/v1/product');
    expect(r.status).toBe(200);
    expect(r.body.epochs.count).toBe(2);
    expect(r.body.categories.map((c: { id: number }) => c.id)).toEqual([CAT_A, CAT_B, CAT_C]);
    expect(r.body.subscription).toMatchObject({ pricePerSecond: '1000', active: true });
    // The marketplace page lists each union's active members (as /metrics already publishes).
    const counts = await t.call('GET', '/metrics');
    const active = /crowdsell_members\{status="active"\} (\d+)/.exec(counts.text)?.[1];
    expect(r.body.members).toEqual({ active: Number(active) });
    expect(r.body.members.active).toBeGreaterThanOrEqual(members.length);
  });

  it('serves the datasheet as JSON and Markdown, and the sample without auth', async () => {
    const json = await t.call('GET', '/v1/product/datasheet');
    expect(json.status).toBe(200);
    // The test union runs with developmentPrivacyLimits: the datasheet states those, not the store's.
    expect(json.body.preprocessing.privacyLimits).toBe('development');
    expect(json.body.preprocessing.kThreshold.bounds.min).toBe(DEVELOPMENT_LIMITS.minKThreshold);
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

  it('signed in without a subscription → 403; the buyer of one gets the rows', async () => {
    const refused = await (await signIn(randomWallet()))('GET', '/v1/product/aggregates');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('SUBSCRIPTION_EXPIRED');
    expect(refused.body.error.message).toMatch(/no subscription/);
    call = await signIn(researcher);
    const ok = await call('GET', '/v1/product/aggregates');
    expect(ok.status).toBe(200);
    expect(ok.body.rows.length).toBeGreaterThan(0);
  });

  it('respects the k-threshold end to end and publishes rounded member counts', async () => {
    const range = `from=${epochStart}&to=${epochStart + HOUR}`;
    const { rows } = (await call('GET', `/v1/product/aggregates?${range}`)).body;
    expect(
      rows.map((r: { category_id: number; suppressed: boolean }) => [r.category_id, r.suppressed]),
    ).toEqual([
      [CAT_A, false],
      [CAT_B, true],
      [CAT_C, true],
    ]);
    // 4 contributors at k = 3 are shown as 3: rounded to a multiple of min(10, k), never below k.
    expect(rows[0]).toMatchObject({
      contributors: 3,
      reporting_members: 3,
      k_threshold: K,
      mode: 'plain',
    });
    expect(rows[0]).not.toHaveProperty('revision');
    expect(Object.keys(rows[1]).sort()).toEqual([
      'category_id',
      'category_key',
      'epoch_seconds',
      'epoch_start',
      'mode',
      'suppressed',
    ]);
    const only = await call('GET', `/v1/product/aggregates?${range}&categories=${CAT_A}`);
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

  it('an expired subscription → 403 with a sentence naming the end date', async () => {
    clock.set((windowEndOf(epochStart) + SUBSCRIPTION_SECONDS + 60) * 1000);
    const r = await (await signIn())('GET', '/v1/product/aggregates');
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('SUBSCRIPTION_EXPIRED');
    expect(r.body.error.message).toMatch(
      /^The subscription of 0x[0-9a-f]{40} ended on \d{4}-\d\d-\d\dT.*Z; renew it/,
    );
  });
});
