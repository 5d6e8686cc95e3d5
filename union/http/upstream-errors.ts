/**
 * Failures of what the union depends on (the chain node, the database) are outages, not bugs:
 * they answer 503 with a sentence, never 500. Ethers marks its own (a `code` such as
 * NETWORK_ERROR plus a `shortMessage`); a refused or dropped connection is a bare Node error,
 * so a route whose reads reach the chain says so with `config: { upstream: 'chain' }`.
 */
import type { FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route reads the chain node: its connection failures are CHAIN_UNAVAILABLE. */
    upstream?: 'chain';
  }
}

const ETHERS_OUTAGES = new Set([
  'NETWORK_ERROR',
  'SERVER_ERROR',
  'TIMEOUT',
  'BAD_DATA',
  'UNKNOWN_ERROR',
]);
const CONNECTION_FAILURES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

type Upstream = 'chain' | 'dependency';

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // fetch() failures carry the system error as their cause.
  return codeOf((error as { cause?: unknown }).cause);
}

/** Which outage an unexpected error is, or null for a plain bug. */
export function upstreamFailure(error: unknown, request: FastifyRequest): Upstream | null {
  const code = codeOf(error);
  if (!code) return null;
  if (
    ETHERS_OUTAGES.has(code) &&
    typeof (error as { shortMessage?: unknown }).shortMessage === 'string'
  )
    return 'chain';
  if (!CONNECTION_FAILURES.has(code)) return null;
  return request.routeOptions.config.upstream === 'chain' ? 'chain' : 'dependency';
}
