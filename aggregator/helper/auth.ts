/**
 * The leader authenticates to the helper with the task's aggregator auth token in the
 * `DAP-Auth-Token` header (DAP-09 §3.1), compared in constant time (`../dap/auth-token.ts`).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { refuseUnlessTokenMatches } from '../dap/auth-token.ts';

interface Guarded {
  readonly taskId: Uint8Array;
  readonly aggregatorAuthToken: string;
}

/**
 * The checks every leader-to-helper request starts with: the task in the URL is this helper's
 * (`unrecognizedTask`), then the token matches (`unauthorizedRequest`). Returns the problem reply
 * already sent, or null to go on.
 */
export function refuseUnlessAuthorized(
  task: Guarded,
  request: FastifyRequest<{ Params: { taskId: string } }>,
  reply: FastifyReply,
): FastifyReply | null {
  const guard = { taskId: task.taskId, token: task.aggregatorAuthToken, server: 'helper' as const };
  return refuseUnlessTokenMatches(guard, request, reply);
}
