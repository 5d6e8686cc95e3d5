/** The admin API (session required): members, app secrets, auto-join, signed configs. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import { addressSchema } from '../../../extension/protocol/wire.ts';
import { generateAppSecret } from '../../domain/app-secret.ts';
import { isoDateTimeInput } from '../../domain/date-input.ts';
import { memberStatuses } from '../../domain/membership-rules.ts';
import { membersRepo } from '../../repo/members-repo.ts';
import { iso } from '../../repo/rows.ts';
import { secretsRepo, type AppSecretRow } from '../../repo/secrets-repo.ts';
import { settingsRepo } from '../../repo/settings-repo.ts';
import { parseInput } from '../../domain/parse-input.ts';
import { apiError } from '../api-errors.ts';
import type { UnionContext } from '../context.ts';
import { memberView } from './member-routes.ts';
import { requireAdmin } from './admin-auth-routes.ts';

const listQuery = z.strictObject({
  status: z.enum(memberStatuses).optional(),
  after: addressSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
const memberAction = z.strictObject({
  address: addressSchema,
  action: z.enum(['approve', 'reject', 'remove']),
});
export const newSecretBody = z.strictObject({
  label: z.string().max(100).default(''),
  maxUses: z.number().int().min(1).max(1_000_000_000).nullable().default(null),
  expiresAt: isoDateTimeInput.nullable().default(null),
});
const secretParams = z.strictObject({ id: z.string().regex(/^[0-9a-f]{16}$/, 'not a secret id') });
const settingsBody = z.strictObject({ autoJoin: z.boolean() });

export const secretView = (s: AppSecretRow) => ({
  id: s.id,
  label: s.label,
  maxUses: s.maxUses,
  uses: s.uses,
  expiresAt: iso(s.expiresAt),
  createdAt: iso(s.createdAt),
  revokedAt: iso(s.revokedAt),
});

export function adminRoutes(app: FastifyInstance, ctx: UnionContext): void {
  app.register((admin, _opts, done) => {
    admin.addHook('onRequest', async (request) => {
      await requireAdmin(ctx, request);
    });

    admin.get('/v1/admin/members', async (request) => {
      const q = parseInput(listQuery, request.query, 'query');
      const rows = await membersRepo.list(ctx.db, {
        status: q.status,
        after: q.after?.toLowerCase(),
        limit: q.limit,
      });
      return {
        members: rows.map((m) => ({ ...memberView(m), lastReportAt: iso(m.lastReportAt) })),
        next: rows.length === q.limit ? rows.at(-1)!.address : null,
      };
    });

    admin.post('/v1/admin/members/:address/:action', async (request) => {
      const { address, action } = parseInput(memberAction, request.params, 'member action');
      return { member: memberView(await ctx.membership.act(address, action)) };
    });

    admin.get('/v1/admin/secrets', async () => ({
      secrets: (await secretsRepo.list(ctx.db)).map(secretView),
    }));

    admin.post('/v1/admin/secrets', async (request, reply) => {
      const body = parseInput(newSecretBody, request.body ?? {}, 'secret request');
      const expiresAt = body.expiresAt ? new Date(body.expiresAt) : null;
      const fresh = generateAppSecret();
      const row = await secretsRepo.insert(ctx.db, {
        id: fresh.id,
        hash: fresh.hash,
        label: body.label,
        maxUses: body.maxUses,
        expiresAt,
      });
      // The secret itself is shown exactly once, here.
      return reply.code(201).send({ ...secretView(row), secret: fresh.secret });
    });

    admin.delete('/v1/admin/secrets/:id', async (request) => {
      const { id } = parseInput(secretParams, request.params, 'secret id');
      const row = await secretsRepo.revoke(ctx.db, id, new Date(ctx.options.now()));
      if (!row) throw apiError('SECRET_NOT_FOUND', 'There is no app secret with this id.');
      return secretView(row);
    });

    admin.get('/v1/admin/settings', () => settingsRepo.get(ctx.db));

    admin.put('/v1/admin/settings', async (request) => {
      const body = parseInput(settingsBody, request.body, 'settings');
      await settingsRepo.set(ctx.db, 'autoJoin', body.autoJoin);
      return settingsRepo.get(ctx.db);
    });

    admin.put('/v1/admin/config', async (request, reply) => {
      const stored = await ctx.configs.publish(request.body);
      return reply.code(201).send({ version: stored.version, configHash: stored.configHash });
    });

    done();
  });
}
