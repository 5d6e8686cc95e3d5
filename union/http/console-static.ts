/**
 * Serves the console (`npm run build:console` → `dist-console/`) at `/`: files as they are,
 * `index.html` for any other non-API path (the console routes with the URL hash, so this is only
 * a fallback for deep links and reloads). `/v1/*` never falls back: an unknown API path stays a
 * JSON 404. Without a build, `/` answers a short page saying how to build it.
 *
 * Every console response carries a strict CSP (scripts and styles from this origin only, API
 * calls to this origin only, no framing).
 *
 * `/marketplace` serves the marketplace page (`marketplace.html` of the same build). Its CSP is the
 * console's except `connect-src`: the page reads the chain (the researcher's wallet, or the
 * union's PUBLIC_RPC_URL) and every other union's public product routes, which live on other
 * origins — https anywhere, plain http on this machine only (the local unions of `npm start`).
 */
import { existsSync, statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const MARKETPLACE_CSP = CONSOLE_CSP.replace(
  "connect-src 'self'",
  "connect-src 'self' https: http://127.0.0.1:* http://localhost:*",
);

const MARKETPLACE_PATHS = new Set(['/marketplace', '/marketplace/', '/marketplace.html']);

export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../dist-console', import.meta.url));

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Crowdsell union</title></head>
<body><h1>Crowdsell union</h1>
<p>The console is not built. Run <code>npm run build:console</code> and restart the union.</p>
<p>The API is at <a href="/v1/union">/v1/union</a>.</p></body></html>
`;

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function consoleStatic(app: FastifyInstance, root = DEFAULT_CONSOLE_DIR): void {
  const built = existsSync(resolve(root, 'index.html'));
  app.register(async (scope) => {
    scope.addHook('onRequest', async (_request, reply) => {
      reply.header('content-security-policy', CONSOLE_CSP);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
    });
    if (built) await scope.register(fastifyStatic, { root, serve: false });

    scope.get('/*', async (request, reply) => {
      const path = request.url.split('?')[0] ?? '/';
      if (path === '/v1' || path.startsWith('/v1/')) return reply.callNotFound();
      if (!built) return reply.type('text/html; charset=utf-8').send(NOT_BUILT);
      if (MARKETPLACE_PATHS.has(path)) {
        reply.header('content-security-policy', MARKETPLACE_CSP);
        reply.header('cache-control', 'no-cache');
        return reply.sendFile('marketplace.html', { cacheControl: false });
      }
      let relative: string;
      try {
        relative = decodeURIComponent(path).replace(/^\/+/, '');
      } catch {
        relative = '';
      }
      const full = resolve(root, relative);
      if (relative && full.startsWith(root + sep) && isFile(full)) {
        const immutable = relative.startsWith('assets/');
        return reply.sendFile(relative, {
          cacheControl: true,
          immutable,
          maxAge: immutable ? 31_536_000_000 : 0,
        });
      }
      reply.header('cache-control', 'no-cache');
      return reply.sendFile('index.html', { cacheControl: false });
    });
  });
}
