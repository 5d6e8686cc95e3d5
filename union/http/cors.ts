/**
 * CORS for the extension (its `chrome-extension://<id>` origin) and any configured origins. The
 * console is served by the union itself (same origin) and needs none. No credentials are
 * allowed cross-origin: members authenticate by signatures in the body, not cookies.
 *
 * The product's public face — `GET /v1/product`, its datasheet and its free sample — is readable
 * from any origin (`*`, never with credentials): the marketplace page served by another union
 * (or as a static page) shows every union's product. Those are simple GETs (no preflight); every
 * other route keeps the allow-list.
 */
import type { FastifyInstance } from 'fastify';

const METHODS = 'GET, POST, PUT, DELETE, OPTIONS';
const HEADERS = 'content-type, authorization';

/** Paths (without the query) any origin may read with GET or HEAD. */
export const PUBLIC_READ_PATHS: ReadonlySet<string> = new Set([
  '/v1/product',
  '/v1/product/datasheet',
  '/v1/product/sample',
]);

function isPublicRead(method: string, url: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  return PUBLIC_READ_PATHS.has(url.split('?')[0] ?? '');
}

export function registerCors(app: FastifyInstance, origins: readonly string[]): void {
  const allowed = new Set(origins);
  app.addHook('onRequest', (request, reply, done) => {
    const origin = request.headers.origin;
    if (isPublicRead(request.method, request.url)) {
      reply.header('access-control-allow-origin', '*');
    } else if (origin && allowed.has(origin)) {
      reply.header('access-control-allow-origin', origin);
      reply.header('vary', 'Origin');
    }
    done();
  });
  app.options('*', (request, reply) => {
    const origin = request.headers.origin;
    if (origin && allowed.has(origin)) {
      reply.header('access-control-allow-methods', METHODS);
      reply.header('access-control-allow-headers', HEADERS);
      reply.header('access-control-max-age', '600');
    }
    return reply.code(204).send();
  });
}
