/**
 * The fastify instance: limits and timeouts, structured logs (pino), CORS, cookies, error
 * mapping, per-route request metrics, and the routes. Fastify was chosen over hono for what the
 * union needs out of the box on Node: a per-route body limit, request/handler timeouts,
 * pino JSON logs with request ids, and a fast JSON path (see docs/union-api.md).
 */
import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';

import { EXTENSION_ORIGIN } from '../config/options.ts';
import { fastifyTrustProxy } from '../config/trust-proxy.ts';
import { clientErrorHandler } from './client-errors.ts';
import { consoleStatic } from './console-static.ts';
import type { UnionContext } from './context.ts';
import { registerCors } from './cors.ts';
import { registerErrorHandling, sendError } from './errors-plugin.ts';
import { registerHandlerTimeout } from './handler-timeout.ts';
import { adminAuthRoutes } from './routes/admin-auth-routes.ts';
import { adminRoutes } from './routes/admin-routes.ts';
import { adminStatsRoutes } from './routes/admin-stats-routes.ts';
import { memberRoutes } from './routes/member-routes.ts';
import { monoplasmaRoutes } from './routes/monoplasma-routes.ts';
import { productRoutes } from './routes/product-routes.ts';
import { publicRoutes } from './routes/public-routes.ts';
import { reportRoutes } from './routes/report-routes.ts';

export function buildHttp(ctx: UnionContext): FastifyInstance {
  const o = ctx.options;
  const app = Fastify({
    logger: o.logLevel === 'silent' ? false : { level: o.logLevel },
    bodyLimit: o.bodyLimitBytes,
    requestTimeout: o.requestTimeoutMs,
    connectionTimeout: o.requestTimeoutMs * 2,
    keepAliveTimeout: 65_000,
    trustProxy: fastifyTrustProxy(o.trustProxy),
    // errors-plugin.ts answers SHUTTING_DOWN in the union's shape instead.
    return503OnClosing: false,
    clientErrorHandler,
    routerOptions: { maxParamLength: 200 },
    frameworkErrors: (error, _request, reply) => {
      void sendError(
        reply,
        400,
        'BAD_REQUEST',
        error.code === 'FST_ERR_BAD_URL' ? 'The URL is malformed.' : 'The request is malformed.',
      );
    },
  });

  // JSON only: any other body type is answered 415 UNSUPPORTED_MEDIA_TYPE.
  app.removeContentTypeParser('text/plain');
  app.register(cookie);
  registerErrorHandling(app);
  registerCors(app, [EXTENSION_ORIGIN, ...o.corsOrigins]);

  // A handler timeout (503 TIMEOUT) on every route, report uploads included: a stalled
  // database must not pin a connection for ever. Long downloads set their own.
  registerHandlerTimeout(app, o.requestTimeoutMs);

  app.addHook('onResponse', (request, reply, done) => {
    ctx.metrics.inc('crowdsell_http_requests_total', {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    });
    done();
  });

  publicRoutes(app, ctx);
  memberRoutes(app, ctx);
  reportRoutes(app, ctx);
  adminAuthRoutes(app, ctx);
  adminRoutes(app, ctx);
  adminStatsRoutes(app, ctx);
  monoplasmaRoutes(app, ctx);
  productRoutes(app, ctx);
  consoleStatic(app);
  return app;
}
