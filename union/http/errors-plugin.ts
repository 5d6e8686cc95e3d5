/**
 * Every failure leaves as `{ error: { code, message } }`: our own CrowdsellErrors with the status
 * from api-errors.ts, fastify's own (bad JSON, body too large, wrong media type, bad URL, handler
 * timeout) mapped to stable codes, unknown routes as NOT_FOUND, and anything unexpected as
 * INTERNAL without details (those are logged).
 */
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';

import { CrowdsellError } from '../../extension/protocol/errors.ts';
import { statusFor } from './api-errors.ts';
import { RateLimitedError } from './rate-limit.ts';

const frameworkCodes: Record<string, [number, string, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'PAYLOAD_TOO_LARGE', 'The request body is too large.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    'Send the request body as application/json.',
  ],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'BAD_REQUEST', 'The JSON request body is empty.'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'BAD_REQUEST', 'The request body is not valid JSON.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [
    400,
    'BAD_REQUEST',
    'The body does not match Content-Length.',
  ],
  FST_ERR_BAD_URL: [400, 'BAD_REQUEST', 'The URL is malformed.'],
  FST_ERR_HANDLER_TIMEOUT: [503, 'TIMEOUT', 'The union took too long to answer; retry later.'],
};

export function sendError(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).type('application/json').send({ error: { code, message } });
}

export function registerErrorHandling(app: FastifyInstance): void {
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
    request.log.error({ err: error }, 'request failed');
    return sendError(
      reply,
      500,
      'INTERNAL',
      'Something went wrong inside the union; please try again.',
    );
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      404,
      'NOT_FOUND',
      `There is no ${request.method} ${request.url.split('?')[0]}.`,
    ),
  );
}
