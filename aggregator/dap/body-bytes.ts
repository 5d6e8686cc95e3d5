/**
 * A request body (`Buffer`, as Fastify's `parseAs: 'buffer'` hands it) as a plain `Uint8Array`
 * over the same memory, without copying it: the body is only read (decoded, hashed, stored).
 */
import type { Buffer } from 'node:buffer';

export const bodyBytes = (body: Buffer): Uint8Array =>
  new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
