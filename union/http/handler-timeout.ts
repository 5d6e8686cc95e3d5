/**
 * A handler timeout on every route: 503 TIMEOUT once a request has waited `requestTimeoutMs`
 * (or its route's own `handlerTimeout`, e.g. long downloads) without an answer. Fastify's own
 * handlerTimeout is not enough here: it stops its timer on the request's `close` event, which
 * Node emits as soon as a body has been read, so a POST whose handler stalls never timed out.
 * This timer lives until the response closes instead, and costs no AbortController.
 */
import type { FastifyInstance } from 'fastify';

import { apiError } from './api-errors.ts';

export const TIMEOUT_MESSAGE = 'The union took too long to answer; retry later.';

export function registerHandlerTimeout(app: FastifyInstance, defaultMs: number): void {
  app.addHook('onRequest', (request, reply, done) => {
    const ms = request.routeOptions.handlerTimeout || defaultMs;
    const timer = setTimeout(() => {
      if (reply.sent) return;
      // A stream that has started cannot turn into an error answer: cut it.
      if (reply.raw.headersSent) reply.raw.destroy();
      else void reply.send(apiError('TIMEOUT', TIMEOUT_MESSAGE));
    }, ms);
    reply.raw.once('close', () => clearTimeout(timer));
    done();
  });
}
