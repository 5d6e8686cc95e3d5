/**
 * Revenue share: published snapshots and accounting input log, the union's own validator
 * status, member earnings and proofs, gasless withdrawals.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import type { ValidatorStatusAnswer } from '../../../extension/protocol/union-stats.ts';
import { addressSchema, signedWithdrawAllSchema } from '../../../extension/protocol/wire.ts';
import { parseInput } from '../../domain/parse-input.ts';
import { publishEvent } from '../../monoplasma/event-log.ts';
import { monoplasmaRepo } from '../../repo/monoplasma-repo.ts';
import { publishedState, stateDocument } from '../../services/published-state.ts';
import { apiError } from '../api-errors.ts';
import type { UnionContext } from '../context.ts';
import { enforce } from '../rate-limit.ts';

const blockParam = z.strictObject({ block: z.string().regex(/^\d{1,15}$/) });
const addressParam = z.strictObject({ address: addressSchema });
const idParam = z.strictObject({ id: z.uuid() });
const eventsQuery = z.strictObject({
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(1000),
});

export function monoplasmaRoutes(app: FastifyInstance, ctx: UnionContext): void {
  // Public data only; answered (empty) even without a chain, so readers need no special case.
  app.get('/v1/accounting/events', async (request) => {
    const { after, limit } = parseInput(eventsQuery, request.query, 'query');
    const [rows, state] = await Promise.all([
      monoplasmaRepo.eventsPage(ctx.db, after, limit + 1),
      monoplasmaRepo.state(ctx.db),
    ]);
    const events = rows.slice(0, limit).map(publishEvent);
    const accounting = state?.accounting as { minMembershipAgeSeconds?: number } | undefined;
    return {
      events,
      next: rows.length > limit ? (events.at(-1)?.seq ?? null) : null,
      minMembershipAgeSeconds: accounting?.minMembershipAgeSeconds ?? 0,
    };
  });

  app.get('/v1/validator/status', async (): Promise<ValidatorStatusAnswer> => {
    const run = await monoplasmaRepo.validatorStatus(ctx.db);
    return {
      lastRun: run && {
        blockNumber: run.blockNumber,
        root: run.root,
        ok: run.ok,
        problem: run.problem,
        checkedAt: new Date(run.checkedAt).toISOString(),
        commitsChecked: run.commitsChecked,
      },
    };
  });

  const mono = ctx.monoplasma;
  if (!mono) return;

  app.get('/v1/state/:block', async (request) => {
    const { block } = parseInput(blockParam, request.params, 'block number');
    // The own validator reads this same document in-process (services/published-state.ts).
    const state = await publishedState(ctx.db, Number(block));
    if (!state) throw apiError('STATE_NOT_FOUND', `There is no snapshot for block ${block}.`);
    return stateDocument(state);
  });

  // Earnings and proofs read the chain node: a per-client limit, and a short cache per member
  // that a relayed or tracked withdrawal of that member drops.
  const cache = ctx.readCaches.member;
  const forget = (member: string) => {
    cache.invalidate(`earnings:${member}`);
    cache.invalidate(`proof:${member}`);
  };
  const chainRead = { config: { upstream: 'chain' } } as const;

  app.get('/v1/members/:address/earnings', chainRead, async (request) => {
    const { address } = parseInput(addressParam, request.params, 'address');
    enforce(ctx.limits.publicReadsPerIp, () => request.ip);
    const member = address.toLowerCase();
    return cache.get(`earnings:${member}`, () => mono.earnings.earnings(member));
  });

  app.get('/v1/members/:address/proof', chainRead, async (request) => {
    const { address } = parseInput(addressParam, request.params, 'address');
    enforce(ctx.limits.publicReadsPerIp, () => request.ip);
    const member = address.toLowerCase();
    return cache.get(`proof:${member}`, () => mono.earnings.proof(member));
  });

  app.post('/v1/withdrawals', chainRead, async (request, reply) => {
    enforce(ctx.limits.recoveriesPerIp, () => request.ip);
    const body = parseInput(signedWithdrawAllSchema, request.body, 'withdrawal request');
    const result = await mono.earnings.withdraw(body, (member) =>
      enforce(mono.withdrawalsPerMember, () => member),
    );
    forget(body.request.member.toLowerCase());
    return reply.code(202).send(result);
  });

  app.get('/v1/withdrawals/:id', chainRead, async (request) => {
    const { id } = parseInput(idParam, request.params, 'withdrawal id');
    const withdrawal = await mono.earnings.withdrawal(id);
    forget(withdrawal.member);
    return withdrawal;
  });
}
