/**
 * Errors Node's HTTP parser raises before fastify sees a request (headers or URL too large, a
 * request that arrives too slowly, bytes that are not HTTP): answered on the raw socket in the
 * union's `{ error: { code, message } }` shape instead of fastify's default body.
 */
import type { Socket } from 'node:net';

const answers: Record<string, [number, string, string, string]> = {
  HPE_HEADER_OVERFLOW: [
    431,
    'Request Header Fields Too Large',
    'HEADERS_TOO_LARGE',
    'The URL or the request headers are too large.',
  ],
  ERR_HTTP_REQUEST_TIMEOUT: [
    408,
    'Request Timeout',
    'REQUEST_TIMEOUT',
    'The request took too long to arrive.',
  ],
};
const otherwise: [number, string, string, string] = [
  400,
  'Bad Request',
  'BAD_REQUEST',
  'The request is not valid HTTP.',
];

export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, code, message] = answers[error.code ?? ''] ?? otherwise;
  const body = JSON.stringify({ error: { code, message } });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
