/** Revenue share: published snapshots, member earnings and proofs, gasless withdrawals. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import { addressSchema, signedWithdrawAllSchema } from '../../../extension/protocol/wire.ts';
import { parseInput } from '../../domain/parse-input.ts';
import { monoplasmaRepo } from '../../repo/monoplasma-repo.ts';
import { apiError } from '../api-errors.ts';
import type { UnionContext } from '../context.ts';
import { enforce } from '../rate-limit.ts';

const blockParam = z.strictObject({ block: z.string().regex(/^\d{1,15}$/) });
const addressParam = z.strictObject({ address: addressSchema });
const idParam = z.strictObject({ id: z.uuid() });

export function monoplasmaRoutes(app: FastifyInstance, ctx: UnionContext): void {
  const mono = ctx.monoplasma;
  if (!mono) return;

  app.get('/v1/state/:block', async (request) => {
    const { block } = parseInput(blockParam, request.params, 'block number');
    const s = await monoplasmaRepo.snapshot(ctx.db, Number(block));
    if (!s) throw apiError('STATE_NOT_FOUND', `There is no snapshot for block ${block}.`);
    return {
      blockNumber: s.blockNumber,
      root: s.root,
      status: s.status,
      txHash: s.txHash,
      admin: s.adminAddress,
      adminTotal: s.adminTotal,
      totalRevenue: s.totalRevenue,
      members: Object.entries(s.totals).map(([address, total]) => ({ address, total })),
    };
  });

  app.get('/v1/members/:address/earnings', async (request) => {
    const { address } = parseInput(addressParam, request.params, 'address');
    return mono.earnings.earnings(address);
  });

  app.get('/v1/members/:address/proof', async (request) => {
    const { address } = parseInput(addressParam, request.params, 'address');
    return mono.earnings.proof(address);
  });

  app.post('/v1/withdrawals', async (request, reply) => {
    const body = parseInput(signedWithdrawAllSchema, request.body, 'withdrawal request');
    const result = await mono.earnings.withdraw(body, (member) =>
      enforce(mono.withdrawalsPerMember, () => member),
    );
    return reply.code(202).send(result);
  });

  app.get('/v1/withdrawals/:id', async (request) => {
    const { id } = parseInput(idParam, request.params, 'withdrawal id');
    return mono.earnings.withdrawal(id);
  });
}
