/**
 * Malformed input never reaches a 5xx or another shape (issue 16, item 10): dates are checked to
 * a sane range before the database sees them, and every framework error (unknown route, wrong
 * method, oversized URL or headers, broken HTTP, bad JSON, wrong media type, shutdown) answers
 * `{ error: { code, message } }` with a stable code.
 */
/* eslint-disable @typescript-eslint/no-unsafe-member-access --
   Response bodies are loosely typed JSON here on purpose: the assertions (expect) check their shape. */
import { connect } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Db } from '../db/db.ts';
import { freshPglite } from '../test-support/pglite-template.ts';
import { startTestUnion, type TestUnion } from '../test-support/test-union.ts';
import type { Call } from '../test-support/http-client.ts';

let t: TestUnion;
let db: Db;
let admin: Call;

beforeAll(async () => {
  db = await freshPglite();
  t = await startTestUnion(db);
  admin = await t.adminClient();
}, 120_000);

afterAll(async () => {
  await t?.close();
  await db?.close();
});

function expectError(r: { status: number; body: unknown }, status: number, code: string) {
  expect(r.status).toBe(status);
  const body = r.body as { error?: { code?: unknown; message?: unknown } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error?.code).toBe(code);
  expect(body.error?.message).toMatch(/\S/);
}

/** A raw connection to a union: write bytes, then read every answer once it closes. */
function rawConnection(baseUrl: string) {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect(Number(port), hostname);
  let text = '';
  socket.on('data', (chunk) => (text += chunk.toString()));
  const answers = new Promise<{ status: number; body: unknown; head: string }[]>(
    (resolve, reject) => {
      socket.on('error', reject);
      socket.on('close', () =>
        resolve(
          text.split(/(?=HTTP\/1\.1 \d{3} )/).map((answer) => {
            const [head = '', body = ''] = answer.split('\r\n\r\n');
            return { status: Number(head.split(' ')[1]), body: JSON.parse(body) as unknown, head };
          }),
        ),
      );
    },
  );
  return { write: (bytes: string) => socket.write(bytes), answers };
}

const raw = async (bytes: string) => {
  const connection = rawConnection(t.url);
  connection.write(bytes);
  return (await connection.answers)[0]!;
};

describe('dates are validated to 1970–9999 everywhere', () => {
  it('refuses an app secret expiring in year 0 or before 1970 with 400, not a database error', async () => {
    for (const expiresAt of ['0000-01-01T00:00:00Z', '1969-12-31T23:59:59Z']) {
      const r = await admin('POST', '/v1/admin/secrets', { expiresAt });
      expectError(r, 400, 'BAD_REQUEST');
      expect(r.body.error.message).toContain('expiresAt');
      expect(r.body.error.message).toContain('between 1970-01-01 and 9999-12-31');
    }
    const last = await admin('POST', '/v1/admin/secrets', { expiresAt: '9999-12-31T23:59:59Z' });
    expect(last.status).toBe(201);
    expect(last.body.expiresAt).toBe('9999-12-31T23:59:59.000Z');
  });

  it('refuses product query dates out of range before asking for a subscription', async () => {
    for (const from of ['0000-01-01', '-1', '99999999999999', '10000-01-01']) {
      const r = await t.call('GET', `/v1/product/aggregates?from=${from}`);
      expectError(r, 400, 'BAD_REQUEST');
    }
  });
});

describe('framework errors in the union shape', () => {
  it('an unknown route is 404 NOT_FOUND; a known path with another method is 405 with Allow', async () => {
    expectError(await t.call('GET', '/v1/nothing-here'), 404, 'NOT_FOUND');
    const patch = await t.call('PATCH', '/v1/reports', {});
    expectError(patch, 405, 'METHOD_NOT_ALLOWED');
    expect(patch.headers.get('allow')).toBe('POST');
    const del = await t.call('DELETE', '/v1/union');
    expectError(del, 405, 'METHOD_NOT_ALLOWED');
    expect(del.headers.get('allow')).toBe('GET, HEAD');
  });

  it('an oversized URL or header is 431 HEADERS_TOO_LARGE, not fastify’s own body', async () => {
    expectError(await t.call('GET', `/v1/configs/${'1'.repeat(20_000)}`), 431, 'HEADERS_TOO_LARGE');
    const big = await t.call('GET', '/v1/union', undefined, { 'x-padding': 'x'.repeat(20_000) });
    expectError(big, 431, 'HEADERS_TOO_LARGE');
  });

  it('bytes that are not HTTP are 400 BAD_REQUEST', async () => {
    expectError(await raw('HELLO THERE\r\n\r\n'), 400, 'BAD_REQUEST');
    expectError(
      await raw('GET /v1/union HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'),
      400,
      'BAD_REQUEST',
    );
  });

  it('bodies: bad JSON 400, wrong media type 415, too large 413', async () => {
    expectError(await t.call('POST', '/v1/join', '{"a":'), 400, 'BAD_REQUEST');
    expectError(
      await t.call('POST', '/v1/join', 'a=1', {
        'content-type': 'application/x-www-form-urlencoded',
      }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expectError(
      await t.call('POST', '/v1/join', { pad: 'x'.repeat(70_000) }),
      413,
      'PAYLOAD_TOO_LARGE',
    );
  });

  it('a request arriving while the union shuts down is 503 SHUTTING_DOWN', async () => {
    const own = await freshPglite();
    // The first request's query waits at a gate until the server has stopped listening.
    let entered: () => void = () => undefined;
    const inQuery = new Promise<void>((resolve) => (entered = resolve));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let armed = false;
    const u = await startTestUnion({
      ...own,
      query: async (sql, params) => {
        if (armed) {
          entered();
          await gate;
        }
        return own.query(sql, params);
      },
    });
    try {
      armed = true;
      const connection = rawConnection(u.url);
      connection.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      await inQuery;
      const closing = u.server.app.close();
      while (u.server.app.server.listening) await new Promise((r) => setImmediate(r));
      // The connection is still open (its first request is in flight): a second one arrives.
      connection.write('GET /v1/union HTTP/1.1\r\nHost: x\r\n\r\n');
      await new Promise((r) => setImmediate(r));
      release();
      const [first, second] = await connection.answers;
      await closing;
      expect(first!.status).toBe(200);
      expectError(second!, 503, 'SHUTTING_DOWN');
      expect(second!.head.toLowerCase()).toContain('connection: close');
    } finally {
      release();
      await u.close();
      await own.close();
    }
  });
});
