/** Admin sign-in (SIWE) and the session guard used by every other /v1/admin route. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

import { signatureSchema } from '../../../extension/protocol/wire.ts';
import type { SessionRow } from '../../repo/sessions-repo.ts';
import { parseInput } from '../../domain/parse-input.ts';
import { apiError } from '../api-errors.ts';
import type { UnionContext } from '../context.ts';
import { enforce } from '../rate-limit.ts';

export const SESSION_COOKIE = 'crowdsell_admin';
const COOKIE_PATH = '/v1/admin';

const signInBody = z.strictObject({
  message: z.string().min(1).max(4000),
  signature: signatureSchema,
});

function tokenOf(request: FastifyRequest): { token: string; via: 'bearer' | 'cookie' } | null {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return { token: header.slice(7).trim(), via: 'bearer' };
  const cookie = request.cookies[SESSION_COOKIE];
  return cookie ? { token: cookie, via: 'cookie' } : null;
}

/** Resolves the admin session or throws UNAUTHENTICATED / FORBIDDEN_ORIGIN. */
export async function requireAdmin(
  ctx: UnionContext,
  request: FastifyRequest,
): Promise<SessionRow> {
  enforce(ctx.limits.adminPerIp, () => request.ip);
  const found = tokenOf(request);
  if (!found) throw apiError('UNAUTHENTICATED', 'Sign in as the admin first.');
  // SameSite=Strict already keeps the cookie off cross-site requests; refusing a foreign Origin
  // on cookie-authenticated writes also covers older browsers.
  const origin = request.headers.origin;
  if (
    found.via === 'cookie' &&
    request.method !== 'GET' &&
    origin &&
    origin !== new URL(ctx.publicUrl()).origin
  ) {
    throw apiError(
      'FORBIDDEN_ORIGIN',
      'Admin requests with the session cookie must come from the console.',
    );
  }
  const session = await ctx.auth.authenticate(found.token);
  if (!session)
    throw apiError(
      'UNAUTHENTICATED',
      'The admin session is missing or has expired; sign in again.',
    );
  return session;
}

function setSessionCookie(ctx: UnionContext, reply: FastifyReply, token: string, expiresAt: Date) {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: ctx.publicUrl().startsWith('https:'),
    path: COOKIE_PATH,
    expires: expiresAt,
  });
}

export function adminAuthRoutes(app: FastifyInstance, ctx: UnionContext): void {
  app.get('/v1/admin/nonce', async (request, reply) => {
    enforce(ctx.limits.adminPerIp, () => request.ip);
    const { nonce, expiresAt } = await ctx.auth.createNonce();
    reply.header('cache-control', 'no-store');
    return { nonce, expiresAt: expiresAt.toISOString() };
  });

  app.post('/v1/admin/session', async (request, reply) => {
    enforce(ctx.limits.adminPerIp, () => request.ip);
    enforce(ctx.limits.recoveriesPerIp, () => request.ip);
    const { message, signature } = parseInput(signInBody, request.body, 'sign-in request');
    const session = await ctx.auth.signIn(message, signature);
    setSessionCookie(ctx, reply, session.token, session.expiresAt);
    return reply.code(201).send({
      token: session.token,
      address: session.address,
      expiresAt: session.expiresAt.toISOString(),
    });
  });

  app.get('/v1/admin/session', async (request) => {
    const session = await requireAdmin(ctx, request);
    return { address: session.address, expiresAt: session.expiresAt.toISOString() };
  });

  app.delete('/v1/admin/session', async (request, reply) => {
    await requireAdmin(ctx, request);
    await ctx.auth.signOut(tokenOf(request)!.token);
    reply.clearCookie(SESSION_COOKIE, { path: COOKIE_PATH });
    return reply.code(204).send();
  });
}
