/**
 * Bounded fuzzing over real HTTP: ≥ 10,000 malformed, oversized, wrongly typed and randomly
 * mutated requests against every endpoint (admin ones with and without a session). The union
 * must never answer 5xx, every error must have the `{ error: { code, message } }` shape, and
 * afterwards it must still be healthy and accept a valid report. Seeded, so a failure replays.
 */
/* eslint-disable @typescript-eslint/no-unsafe-assignment --
   Response bodies are loosely typed JSON here on purpose: the assertions (expect) check their shape. */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Db } from '../db/db.ts';
import {
  CONFIG_CATEGORIES,
  randomWallet,
  signConfig,
  signJoin,
  signReport,
  testConfig,
  testReport,
} from '../test-support/fixtures.ts';
import { freshPglite } from '../test-support/pglite-template.ts';
import { startTestUnion, type TestUnion } from '../test-support/test-union.ts';

const REQUESTS = 10_500;
const CONCURRENCY = 24;
const SEED = 20261125;

let t: TestUnion;
let db: Db;
let token = '';

beforeAll(async () => {
  db = await freshPglite();
  t = await startTestUnion(db);
  const nonce = (await t.call<{ nonce: string }>('GET', '/v1/admin/nonce')).body.nonce;
  const message = t.siweMessage(t.admin, nonce);
  token = (
    await t.call<{ token: string }>('POST', '/v1/admin/session', {
      message,
      signature: await t.admin.signMessage(message),
    })
  ).body.token;
}, 120_000);

afterAll(async () => {
  await t?.close();
  await db?.close();
});

interface FuzzRequest {
  method: string;
  path: string;
  body?: string | Uint8Array;
  contentType?: string;
  auth: boolean;
}

/** Replaces, deletes or adds a value at a random place inside a JSON value. */
function mutate(value: unknown, rng: () => number, junk: unknown): unknown {
  if (Array.isArray(value)) {
    if (value.length === 0 || rng() < 0.2) return [...value, junk];
    const i = Math.floor(rng() * value.length);
    const copy = [...value];
    copy[i] = rng() < 0.5 ? junk : mutate(copy[i], rng, junk);
    return copy;
  }
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    const r = rng();
    if (keys.length === 0 || r < 0.15) copy[`x${Math.floor(rng() * 5)}`] = junk;
    else {
      const k = keys[Math.floor(rng() * keys.length)]!;
      if (r < 0.3) delete copy[k];
      else copy[k] = rng() < 0.5 ? junk : mutate(copy[k], rng, junk);
    }
    return copy;
  }
  return junk;
}

describe('fuzzing the HTTP API', () => {
  it(`answers ${REQUESTS} malformed and mutated requests without a 5xx and stays up`, async () => {
    const member = await t.activeMember();
    const now = t.clock.nowSeconds();
    const validReport = await signReport(member, t.domain, testReport(member, now, 30));
    const valid = {
      join: await signJoin(randomWallet(), t.domain, now, 'csj_0000000000000000_' + 'A'.repeat(43)),
      report: validReport,
      batch: { reports: [validReport, validReport] },
      session: {
        message: t.siweMessage(t.admin, 'abcdefgh12345678'),
        signature: `0x${'11'.repeat(65)}`,
      },
      config: await signConfig(t.admin, t.domain, testConfig(7)),
      secret: { label: 'x', maxUses: 3, expiresAt: new Date(t.clock.now() + 1e6).toISOString() },
      settings: { autoJoin: true },
    };
    const addr = member.address;
    const routes: [string, string, keyof typeof valid | null][] = [
      ['GET', '/healthz', null],
      ['GET', '/metrics', null],
      ['GET', '/v1/union', null],
      ['GET', '/v1/config', null],
      ['GET', '/v1/configs/1', null],
      ['GET', '/v1/membership-log', null],
      ['GET', `/v1/members/${addr}`, null],
      ['POST', '/v1/join', 'join'],
      ['POST', '/v1/leave', 'join'],
      ['POST', '/v1/reports', 'report'],
      ['POST', '/v1/reports/batch', 'batch'],
      ['GET', '/v1/admin/nonce', null],
      ['POST', '/v1/admin/session', 'session'],
      ['GET', '/v1/admin/session', null],
      ['GET', '/v1/admin/members', null],
      ['POST', `/v1/admin/members/${addr}/approve`, null],
      ['GET', '/v1/admin/secrets', null],
      ['POST', '/v1/admin/secrets', 'secret'],
      ['DELETE', '/v1/admin/secrets/0123456789abcdef', null],
      ['GET', '/v1/admin/settings', null],
      ['PUT', '/v1/admin/settings', 'settings'],
      ['PUT', '/v1/admin/config', 'config'],
    ];
    const junk = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.string({ maxLength: 300 }),
      fc.constantFrom(
        -1,
        2 ** 53,
        1e308,
        -0,
        0.5,
        '',
        '0x',
        `0x${'f'.repeat(130)}`,
        null,
        true,
        [],
        {},
        '__proto__',
        CONFIG_CATEGORIES[0]!.id,
      ),
    );
    const pathJunk = fc.oneof(
      fc.constantFrom(
        '%',
        '%zz',
        '..',
        '%00',
        'x'.repeat(300),
        '0x' + 'g'.repeat(40),
        '-1',
        '1e99',
        '?limit=-5',
        '?after=abc&limit=1e9',
        '?status=active&after=0x12',
      ),
      fc.string({ maxLength: 40 }).map(encodeURIComponent),
    );
    const request: fc.Arbitrary<FuzzRequest> = fc
      .tuple(
        fc.constantFrom(...routes),
        fc.nat({ max: 99 }),
        junk,
        pathJunk,
        fc.integer(),
        fc.boolean(),
        fc.uint8Array({ maxLength: 2000 }),
      )
      .map(([[method, path, kind], dice, j, pj, seed, auth, bytes]) => {
        let x = seed;
        const rng = () => (x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
        if (dice < 10) return { method, path: `${path.replace(/[^/]+$/, '')}${pj}`, auth };
        if (dice < 15)
          return {
            method: ['PATCH', 'PUT', 'DELETE', 'POST', 'HEAD'][dice % 5]!,
            path,
            auth,
            body: '{}',
            contentType: 'application/json',
          };
        if (dice < 22)
          return {
            method,
            path,
            auth,
            body: bytes,
            contentType: [
              'application/octet-stream',
              'application/json',
              'text/plain',
              'multipart/form-data; boundary=x',
            ][dice % 4]!,
          };
        if (dice < 25)
          return {
            method,
            path,
            auth,
            body:
              dice % 2
                ? '['.repeat(5000) + ']'.repeat(5000)
                : `{"a":${'{"a":'.repeat(3000)}1${'}'.repeat(3001)}`,
            contentType: 'application/json',
          };
        if (dice < 27)
          return {
            method,
            path,
            auth,
            body: JSON.stringify({ pad: 'x'.repeat(dice % 2 ? 70_000 : 2_200_000) }),
            contentType: 'application/json',
          };
        if (dice < 40 || !kind)
          return { method, path, auth, body: JSON.stringify(j), contentType: 'application/json' };
        return {
          method,
          path,
          auth,
          body: JSON.stringify(mutate(valid[kind], rng, j)),
          contentType: 'application/json',
        };
      });
    // Signing the fuzzer's own session out would turn the rest of the admin requests into 401s.
    const requests = fc
      .sample(request, { numRuns: REQUESTS, seed: SEED })
      .map((r) =>
        r.method === 'DELETE' && r.path === '/v1/admin/session' ? { ...r, method: 'GET' } : r,
      );

    const statuses = new Map<number, number>();
    const badShapes: string[] = [];
    let index = 0;
    const worker = async () => {
      while (index < requests.length) {
        const r = requests[index++]!;
        const headers: Record<string, string> = {};
        if (r.contentType) headers['content-type'] = r.contentType;
        if (r.auth) headers.authorization = `Bearer ${token}`;
        const init: RequestInit = { method: r.method, headers };
        if (r.body !== undefined && r.method !== 'GET' && r.method !== 'HEAD') {
          init.body = typeof r.body === 'string' ? r.body : new Blob([new Uint8Array(r.body)]);
        }
        const response = await fetch(`${t.url}${r.path}`, init);
        const text = await response.text();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status >= 500)
          badShapes.push(`${response.status} ${r.method} ${r.path}: ${text.slice(0, 200)}`);
        else if (response.status >= 400 && r.method !== 'HEAD') {
          try {
            const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
            if (typeof body.error?.code !== 'string' || typeof body.error.message !== 'string')
              throw new Error('shape');
          } catch {
            badShapes.push(
              `bad error shape ${response.status} ${r.method} ${r.path}: ${text.slice(0, 200)}`,
            );
          }
        }
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `fuzz: ${REQUESTS} requests in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
    );

    expect(badShapes.slice(0, 10)).toEqual([]);
    expect([...statuses.keys()].every((s) => s < 500)).toBe(true);
    expect((await t.call('GET', '/healthz')).status).toBe(200);
    const fresh = await signReport(member, t.domain, testReport(member, now, 31));
    expect((await t.call('POST', '/v1/reports', fresh)).status).toBe(201);
  }, 180_000);
});
