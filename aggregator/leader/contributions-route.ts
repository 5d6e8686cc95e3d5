/**
 * `GET /internal/tasks/{task}/contributions?from=&to=&after=` — the union's read of the
 * contributions that passed preparation on both aggregators (`memberContributions`), for payouts
 * (docs/decisions.md, "The union reads contributions from the leader over HTTP"). Not a DAP route:
 * the union's own, authenticated with the collector auth token in `DAP-Auth-Token` (the union is
 * the collector; no other party holds it). Pages in a stable order (epoch, then member), at most
 * `PAGE_SIZE` each; `next` is the cursor of the following page, or null after the last.
 *
 * Answers `{ contributions: [{ member, epoch }], next }`. A member's address and the epochs it
 * contributed to are what a stored plain report told the union before; nothing of the
 * measurement is in it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { refuseUnlessTokenMatches } from '../dap/auth-token.ts';
import { sendProblem } from '../dap/problem.ts';
import { memberContributions } from './db/sql-contributions.ts';
import { noteContributionsRead } from './retention-store.ts';
import type { LeaderRoute } from './server.ts';

/** Contributions per page. */
export const PAGE_SIZE = 1000;

const time = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const querySchema = z.strictObject({
  from: time,
  to: time,
  /** `<epoch>:<member>` of the last contribution of the previous page. */
  after: z
    .string()
    .regex(/^\d{1,16}:0x[0-9a-f]{40}$/, 'after is <epoch>:<member> from the previous page')
    .optional(),
});

type ContributionsRequest = FastifyRequest<{
  Params: { taskId: string };
  Querystring: Record<string, string>;
}>;

export const contributionsRoute: LeaderRoute = (app: FastifyInstance, { task, db }) =>
  app.get('/internal/tasks/:taskId/contributions', async (request: ContributionsRequest, reply) => {
    const { taskId } = request.params;
    if (task.collectorAuthToken === null) {
      const detail = 'This leader has no collector configured for this task.';
      return sendProblem(reply, 'unauthorizedRequest', detail, taskId);
    }
    const guard = {
      taskId: task.taskId,
      token: task.collectorAuthToken,
      server: 'leader' as const,
    };
    const refused = refuseUnlessTokenMatches(guard, request, reply);
    if (refused) return refused;
    const parsed = querySchema.safeParse(request.query);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const detail = `${issue?.path.join('.') || 'query'}: ${issue?.message ?? 'invalid'}`;
      return sendProblem(reply, 'invalidMessage', detail, taskId);
    }
    const { from, to, after } = parsed.data;
    // The union reads from its cursor: every contribution before `from` is recorded (retention).
    await noteContributionsRead(db, task.taskId, from);
    const cursor = after === undefined ? null : after.split(':');
    const rows = await memberContributions(db, task.taskId, from, to, {
      after: cursor ? { epoch: Number(cursor[0]), member: cursor[1]! } : null,
      limit: PAGE_SIZE,
    });
    const last = rows.at(-1);
    return {
      contributions: rows,
      next: rows.length === PAGE_SIZE && last ? `${last.epoch}:${last.member}` : null,
    };
  });
