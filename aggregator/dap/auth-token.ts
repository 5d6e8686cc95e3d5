/**
 * DAP-09 §3.1 bearer tokens in the `DAP-Auth-Token` header: the aggregator auth token (leader →
 * helper) and the collector auth token (collector → leader). Compared in constant time: both
 * sides are hashed to SHA-256 first, so neither the token's length nor a matching prefix shows in
 * the timing. Neutral ground: the helper and the leader both import it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { sendProblem } from './problem.ts';
import { taskIdToString } from './task-id.ts';

export const AUTH_HEADER = 'dap-auth-token';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Whether the header value `given` is exactly `expected` (false when absent or repeated). */
export function authTokenMatches(expected: string, given: string | string[] | undefined): boolean {
  if (typeof given !== 'string') return false;
  return timingSafeEqual(digest(expected), digest(given));
}

export interface TokenGuard {
  readonly taskId: Uint8Array;
  readonly token: string;
  /** Who answers, in the sentence of `unrecognizedTask` ("This helper does not run task …"). */
  readonly server: 'helper' | 'leader';
}

/**
 * The checks an authenticated request starts with: the task in the URL is this server's
 * (`unrecognizedTask`), then the token matches (`unauthorizedRequest`). Returns the problem reply
 * already sent, or null to go on.
 */
export function refuseUnlessTokenMatches(
  guard: TokenGuard,
  request: FastifyRequest<{ Params: { taskId: string } }>,
  reply: FastifyReply,
): FastifyReply | null {
  const { taskId } = request.params;
  if (taskId !== taskIdToString(guard.taskId)) {
    const detail = `This ${guard.server} does not run task ${taskId}.`;
    return sendProblem(reply, 'unrecognizedTask', detail, taskId);
  }
  if (!authTokenMatches(guard.token, request.headers[AUTH_HEADER])) {
    const detail = `The ${AUTH_HEADER} header is missing or does not match this task's token.`;
    return sendProblem(reply, 'unauthorizedRequest', detail, taskId);
  }
  return null;
}
