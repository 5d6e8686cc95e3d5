import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CONSOLE_CSP, consoleStatic, MARKETPLACE_CSP } from './console-static.ts';

let dir: string;
let app: FastifyInstance;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crowdsell-console-static-'));
  writeFileSync(join(dir, 'index.html'), '<title>console</title>');
  writeFileSync(join(dir, 'marketplace.html'), '<title>marketplace</title>');
  app = Fastify();
  consoleStatic(app, dir);
  await app.ready();
});

afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('console and marketplace pages', () => {
  it('serves the marketplace page at /marketplace, allowed to read other unions and the chain', async () => {
    for (const url of ['/marketplace', '/marketplace/', '/marketplace.html']) {
      const r = await app.inject({ url });
      expect(r.statusCode, url).toBe(200);
      expect(r.body, url).toContain('marketplace');
      expect(r.headers['content-security-policy'], url).toBe(MARKETPLACE_CSP);
    }
    expect(MARKETPLACE_CSP).toContain(
      "connect-src 'self' https: http://127.0.0.1:* http://localhost:*",
    );
    expect(MARKETPLACE_CSP).toContain("script-src 'self'");
  });

  it('keeps the console (and its deep links) on the same-origin CSP', async () => {
    for (const url of ['/', '/index.html', '/some/deep/link']) {
      const r = await app.inject({ url });
      expect(r.body, url).toContain('console');
      expect(r.headers['content-security-policy'], url).toBe(CONSOLE_CSP);
    }
    expect(CONSOLE_CSP).toContain("connect-src 'self';");
  });
});
