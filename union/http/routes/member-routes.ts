/**
 * Join and leave, both signed by the member's key (EIP-712, union domain). The signer is
 * recovered from the request's digest natively (on the recovery threads), as reports are.
 */
import type { FastifyInstance } from 'fastify';

import { joinRequestTypes } from '../../../extension/protocol/eip712.ts';
import { leaveBodySchema, leaveRequestTypes } from '../../../extension/protocol/leave.ts';
import { joinBodySchema } from '../../../extension/protocol/wire.ts';
import { memberRequestDigester, type MemberRequest } from '../../crypto/member-request-digest.ts';
import { parseSignatureHex } from '../../crypto/signature.ts';
import { checkJoinFreshness } from '../../domain/join-rules.ts';
import type { MemberRow } from '../../repo/members-repo.ts';
import { iso } from '../../repo/rows.ts';
import { settingsRepo } from '../../repo/settings-repo.ts';
import { parseInput } from '../../domain/parse-input.ts';
import { apiError } from '../api-errors.ts';
import type { UnionContext } from '../context.ts';
import { enforce } from '../rate-limit.ts';

/** The request's signer, or null when the signature is not a canonical one of anybody. */
async function signerOf(
  ctx: UnionContext,
  digest: (request: MemberRequest) => Uint8Array,
  request: MemberRequest,
  signature: string,
): Promise<string | null> {
  const compact = parseSignatureHex(signature);
  return compact ? ctx.recover(digest(request), compact) : null;
}

export const memberView = (m: MemberRow) => ({
  address: m.address,
  status: m.status,
  requestedAt: iso(m.requestedAt),
  joinedAt: iso(m.joinedAt),
  statusChangedAt: iso(m.statusChangedAt),
});

export function memberRoutes(app: FastifyInstance, ctx: UnionContext): void {
  const joinDigest = memberRequestDigester(ctx.domain, joinRequestTypes);
  const leaveDigest = memberRequestDigester(ctx.domain, leaveRequestTypes);
  app.post('/v1/join', async (request) => {
    enforce(ctx.limits.joinsPerIp, () => request.ip);
    enforce(ctx.limits.recoveriesPerIp, () => request.ip);
    const body = parseInput(joinBodySchema, request.body, 'join request');
    checkJoinFreshness(body.request.issuedAt, Math.floor(ctx.options.now() / 1000));
    const signer = await signerOf(ctx, joinDigest, body.request, body.signature);
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
    const signer = await signerOf(ctx, leaveDigest, body.request, body.signature);
    if (signer !== body.request.member.toLowerCase()) {
      throw apiError(
        'INVALID_SIGNATURE',
        'The leave request is not signed by its member for this union.',
      );
    }
    return { member: memberView(await ctx.membership.act(body.request.member, 'leave')) };
  });
}
