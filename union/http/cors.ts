/**
 * CORS for the extension (its `chrome-extension://<id>` origin) and any configured origins. The
 * console is served by the union itself (same origin) and needs none. No credentials are
 * allowed cross-origin: members authenticate by signatures in the body, not cookies.
 */
import type { FastifyInstance } from 'fastify';

const METHODS = 'GET, POST, PUT, DELETE, OPTIONS';
const HEADERS = 'content-type, authorization';

export function registerCors(app: FastifyInstance, origins: readonly string[]): void {
  const allowed = new Set(origins);
  app.addHook('onRequest', (request, reply, done) => {
    const origin = request.headers.origin;
    if (origin && allowed.has(origin)) {
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
