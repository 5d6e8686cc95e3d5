/**
 * Every failure leaves as `{ error: { code, message } }`: our own CrowdsellErrors with the status
 * from api-errors.ts; fastify's own (bad JSON, body too large, wrong media type, bad URL, handler
 * timeout) mapped to stable codes; unknown routes as NOT_FOUND, a known path with another method
 * as METHOD_NOT_ALLOWED; outages of the chain node or the database as 503; requests arriving
 * while the union shuts down as SHUTTING_DOWN; anything else as INTERNAL without details (logged).
 * Errors before fastify (headers too large, slow or broken HTTP) are in client-errors.ts.
 */
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';

import { CrowdsellError } from '../../extension/protocol/errors.ts';
import { statusFor } from './api-errors.ts';
import { TIMEOUT_MESSAGE } from './handler-timeout.ts';
import { RateLimitedError } from './rate-limit.ts';
import { RouteTable } from './route-table.ts';
import { upstreamFailure } from './upstream-errors.ts';

const frameworkCodes: Record<string, [number, string, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    'Send the request body as application/json.',
  ],
  FST_ERR_CTP_INVALID_TYPE: [415, 'UNSUPPORTED_MEDIA_TYPE', 'The Content-Type header is invalid.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'BAD_REQUEST', 'The JSON request body is empty.'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'BAD_REQUEST', 'The request body is not valid JSON.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [
    400,
    'BAD_REQUEST',
    'The body does not match Content-Length.',
  ],
  FST_ERR_BAD_URL: [400, 'BAD_REQUEST', 'The URL is malformed.'],
  FST_ERR_HANDLER_TIMEOUT: [503, 'TIMEOUT', TIMEOUT_MESSAGE],
};

const outages = {
  chain: ['CHAIN_UNAVAILABLE', 'The union cannot reach its chain node right now; retry later.'],
  dependency: ['NOT_READY', 'A service the union depends on is unreachable; retry later.'],
} as const;

export function sendError(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).type('application/json').send({ error: { code, message } });
}

export function registerErrorHandling(app: FastifyInstance): void {
  const routes = new RouteTable();
  app.addHook('onRoute', (route) => routes.add(route.method, route.url));

  // Instead of fastify's return503OnClosing (its own body): finish what is in flight, refuse
  // what arrives, and tell the client to reconnect elsewhere.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onRequest', (_request, reply, done) => {
    if (!closing) return done();
    reply.header('connection', 'close');
    void sendError(reply, 503, 'SHUTTING_DOWN', 'The union is shutting down; retry shortly.');
  });

  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    if (error instanceof RateLimitedError)
      reply.header('retry-after', String(error.retryAfterSeconds));
    if (error instanceof CrowdsellError) {
      const status = statusFor(error.code);
      if (status >= 500) request.log.error({ err: error }, 'request failed');
      return sendError(reply, status, error.code, error.message);
    }
    const code = 'code' in error ? error.code : undefined;
    const known = code ? frameworkCodes[code] : undefined;
    if (known) return sendError(reply, known[0], known[1], known[2]);
    const statusCode = 'statusCode' in error ? error.statusCode : undefined;
    if (error instanceof SyntaxError || (statusCode && statusCode >= 400 && statusCode < 500)) {
      // Other client errors from fastify (proto poisoning, bad content-length …).
      const status = statusCode === 415 || statusCode === 413 ? statusCode : 400;
      const mapped =
        status === 415
          ? 'UNSUPPORTED_MEDIA_TYPE'
          : status === 413
            ? 'PAYLOAD_TOO_LARGE'
            : 'BAD_REQUEST';
      return sendError(reply, status, mapped, 'The request is malformed.');
    }
    const upstream = upstreamFailure(error, request);
    request.log.error({ err: error }, upstream ? `${upstream} unavailable` : 'request failed');
    if (upstream) {
      reply.header('retry-after', '30');
      return sendError(reply, 503, outages[upstream][0], outages[upstream][1]);
    }
    return sendError(
      reply,
      500,
      'INTERNAL',
      'Something went wrong inside the union; please try again.',
    );
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const allowed = routes.allowed(path);
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      return sendError(
        reply,
        405,
        'METHOD_NOT_ALLOWED',
        `${path} does not accept ${request.method}; it accepts ${allowed.join(', ')}.`,
      );
    }
    return sendError(reply, 404, 'NOT_FOUND', `There is no ${request.method} ${path}.`);
  });
}
