/**
 * The front door under malformed input (issue 16, item 10): seeded random requests at every
 * route — wrong methods, odd paths and queries, dates out of range, junk bodies and media types,
 * oversized and forged headers — on a union whose chain node and marketplace are unreachable.
 * Never a 500, every error in the `{ error: { code, message } }` shape and nothing else, and the
 * only 503 is CHAIN_UNAVAILABLE. Seeded, so a failure replays.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Db } from '../db/db.ts';
import { freshPglite } from '../test-support/pglite-template.ts';
import { startTestUnion, type TestUnion } from '../test-support/test-union.ts';
import { unreachableChain } from '../test-support/unreachable-chain.ts';

const REQUESTS = 2000;
const CONCURRENCY = 16;
const SEED = 20261206;

let t: TestUnion;
let db: Db;
let token = '';

beforeAll(async () => {
  db = await freshPglite();
  t = await startTestUnion(db, await unreachableChain());
  token = await t.adminToken();
}, 120_000);

afterAll(async () => {
  await t?.close();
  await db?.close();
});

const member = `0x${'ab'.repeat(20)}`;
const routes: [string, string][] = [
  ['GET', '/healthz'],
  ['GET', '/v1/union'],
  ['GET', '/v1/configs/1'],
  ['GET', '/v1/membership-log'],
  ['GET', `/v1/members/${member}`],
  ['GET', `/v1/members/${member}/earnings`],
  ['GET', `/v1/members/${member}/proof`],
  ['GET', '/v1/accounting/events'],
  ['GET', '/v1/state/1'],
  ['GET', '/v1/validator/status'],
  ['POST', '/v1/join'],
  ['POST', '/v1/reports'],
  ['POST', '/v1/reports/batch'],
  ['POST', '/v1/withdrawals'],
  ['GET', '/v1/withdrawals/00000000-0000-4000-8000-000000000000'],
  ['GET', '/v1/product'],
  ['GET', '/v1/product/sample'],
  ['GET', '/v1/product/aggregates'],
  ['GET', '/v1/product/stream'],
  ['POST', '/v1/product/session'],
  ['POST', '/v1/admin/secrets'],
  ['GET', '/v1/admin/members'],
  ['GET', '/v1/admin/stats'],
  ['PUT', '/v1/admin/settings'],
];

const dates = [
  '0000-01-01T00:00:00Z',
  '1969-12-31T23:59:59Z',
  '10000-01-01',
  '+275760-09-13T00:00:00Z',
  '-1',
  '99999999999999',
  '2026-02-30',
  'yesterday',
  '',
];

interface Fuzzed {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const fuzzed: fc.Arbitrary<Fuzzed> = fc
  .tuple(
    fc.constantFrom(...routes),
    fc.nat({ max: 9 }),
    fc.constantFrom(...dates),
    fc.jsonValue({ maxDepth: 2 }),
    fc.boolean(),
    fc.string({ maxLength: 30 }),
  )
  .map(([[method, path], dice, date, junk, auth, text]) => {
    const headers: Record<string, string> = auth ? { authorization: `Bearer ${token}` } : {};
    const json = (body: unknown) => ({
      method,
      path,
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    switch (dice) {
      case 0:
        return {
          method: ['PATCH', 'DELETE', 'PUT', 'POST', 'GET'][text.length % 5]!,
          path,
          headers,
        };
      case 1:
        return { method, path: `${path}/${encodeURIComponent(text)}`, headers };
      case 2:
        return { method, path: `${path}?from=${encodeURIComponent(date)}&to=${date}`, headers };
      case 3:
        return json({ expiresAt: date, label: text, maxUses: junk });
      case 4:
        return { method, path, headers: { ...headers, 'x-pad': 'x'.repeat(20_000) } };
      case 5:
        return { method, path, headers: { ...headers, 'x-forwarded-for': `${text}, 10.0.0.1` } };
      case 6:
        return {
          method,
          path,
          headers: { ...headers, 'content-type': 'text/plain' },
          body: text || 'x',
        };
      case 7:
        return {
          method,
          path,
          headers: { ...headers, 'content-type': 'application/json' },
          body: `{"a":${text}`,
        };
      default:
        return json(junk);
    }
  });

describe('fuzzing the front door', () => {
  it(`answers ${REQUESTS} malformed requests without a 500, always in the error shape`, async () => {
    const requests = fc.sample(fuzzed, { numRuns: REQUESTS, seed: SEED });
    const problems: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const r = requests[next++]!;
        const init: RequestInit = { method: r.method, headers: r.headers };
        if (r.body !== undefined && r.method !== 'GET') init.body = r.body;
        const response = await fetch(`${t.url}${r.path}`, init);
        const text = await response.text();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status < 400) continue;
        const where = `${response.status} ${r.method} ${r.path.slice(0, 80)}: ${text.slice(0, 160)}`;
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          problems.push(`not JSON: ${where}`);
          continue;
        }
        const error = (body as { error?: { code?: unknown; message?: unknown } }).error;
        if (
          Object.keys(body as object).join() !== 'error' ||
          typeof error?.code !== 'string' ||
          typeof error.message !== 'string' ||
          Object.keys(error).sort().join() !== 'code,message'
        ) {
          problems.push(`wrong shape: ${where}`);
        } else if (response.status >= 500 && error.code !== 'CHAIN_UNAVAILABLE') {
          problems.push(`server error: ${where}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(problems.slice(0, 10)).toEqual([]);
    // The fuzzing reached the checks it is about, not only the router.
    for (const status of [400, 401, 404, 405, 415, 431])
      expect(statuses.get(status)).toBeGreaterThan(0);
    expect((await t.call('GET', '/healthz')).status).toBe(200);
  }, 180_000);
});
