/** Join and leave, both signed by the member's key (EIP-712, union domain). */
import type { FastifyInstance } from 'fastify';
import { verifyTypedData } from 'ethers';

import { asTypes, joinRequestTypes } from '../../../extension/protocol/eip712.ts';
import { leaveBodySchema, leaveRequestTypes } from '../../../extension/protocol/leave.ts';
import { joinBodySchema } from '../../../extension/protocol/wire.ts';
import { checkJoinFreshness } from '../../domain/join-rules.ts';
import type { MemberRow } from '../../repo/members-repo.ts';
import { iso } from '../../repo/rows.ts';
import { settingsRepo } from '../../repo/settings-repo.ts';
import { parseInput } from '../../domain/parse-input.ts';
import { apiError } from '../api-errors.ts';
import type { UnionContext } from '../context.ts';
import { enforce } from '../rate-limit.ts';

function signerOf(
  ctx: UnionContext,
  types: Record<string, readonly { name: string; type: string }[]>,
  message: Record<string, unknown>,
  signature: string,
): string | null {
  try {
    return verifyTypedData(ctx.domain, asTypes(types), message, signature).toLowerCase();
  } catch {
    return null;
  }
}

export const memberView = (m: MemberRow) => ({
  address: m.address,
  status: m.status,
  requestedAt: iso(m.requestedAt),
  joinedAt: iso(m.joinedAt),
  statusChangedAt: iso(m.statusChangedAt),
});

export function memberRoutes(app: FastifyInstance, ctx: UnionContext): void {
  app.post('/v1/join', async (request) => {
    enforce(ctx.limits.joinsPerIp, () => request.ip);
    enforce(ctx.limits.recoveriesPerIp, () => request.ip);
    const body = parseInput(joinBodySchema, request.body, 'join request');
    checkJoinFreshness(body.request.issuedAt, Math.floor(ctx.options.now() / 1000));
    const signer = signerOf(ctx, joinRequestTypes, body.request, body.signature);
    if (signer !== body.request.member.toLowerCase()) {
      throw apiError(
        'INVALID_SIGNATURE',
        'The join request is not signed by its member for this union.',
      );
    }
    const { autoJoin } = await settingsRepo.get(ctx.db);
    const result = await ctx.membership.join(body.request.member, body.secret, autoJoin);
    ctx.metrics.inc('crowdsell_joins_total', { status: result.member.status });
    return { member: memberView(result.member), secretAccepted: result.secretAccepted };
  });

  app.post('/v1/leave', async (request) => {
    enforce(ctx.limits.joinsPerIp, () => request.ip);
    enforce(ctx.limits.recoveriesPerIp, () => request.ip);
    const body = parseInput(leaveBodySchema, request.body, 'leave request');
    checkJoinFreshness(body.request.issuedAt, Math.floor(ctx.options.now() / 1000));
    const signer = signerOf(ctx, leaveRequestTypes, body.request, body.signature);
    if (signer !== body.request.member.toLowerCase()) {
      throw apiError(
        'INVALID_SIGNATURE',
        'The leave request is not signed by its member for this union.',
      );
    }
    return { member: memberView(await ctx.membership.act(body.request.member, 'leave')) };
  });
}
