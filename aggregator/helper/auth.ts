/**
 * The leader authenticates to the helper with the task's aggregator auth token in the
 * `DAP-Auth-Token` header (DAP-09 §3.1). Compared in constant time: both sides are hashed to
 * SHA-256 first, so neither the token's length nor a matching prefix shows in the timing.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { sendProblem } from '../dap/problem.ts';
import { taskIdToString } from '../dap/task-id.ts';

const AUTH_HEADER = 'dap-auth-token';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

function authTokenMatches(expected: string, given: string | string[] | undefined): boolean {
  if (typeof given !== 'string') return false;
  return timingSafeEqual(digest(expected), digest(given));
}

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
  const { taskId } = request.params;
  if (taskId !== taskIdToString(task.taskId)) {
    return sendProblem(
      reply,
      'unrecognizedTask',
      `This helper does not run task ${taskId}.`,
      taskId,
    );
  }
  if (!authTokenMatches(task.aggregatorAuthToken, request.headers[AUTH_HEADER])) {
    const detail = `The ${AUTH_HEADER} header is missing or does not match this task's token.`;
    return sendProblem(reply, 'unauthorizedRequest', detail, taskId);
  }
  return null;
}
