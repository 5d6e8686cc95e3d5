/** Unauthenticated reads: health, metrics, union facts, configs, membership log, member status. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import { addressSchema } from '../../../extension/protocol/wire.ts';
import { memberStatuses } from '../../domain/membership-rules.ts';
import { iso } from '../../repo/rows.ts';
import { unionPrivacyLimits } from '../../config/privacy-limits.ts';
import { memberCountsRepo } from '../../repo/member-counts-repo.ts';
import { membershipLogRepo } from '../../repo/membership-log-repo.ts';
import { settingsRepo } from '../../repo/settings-repo.ts';
import { parseInput } from '../../domain/parse-input.ts';
import { apiError } from '../api-errors.ts';
import type { UnionContext } from '../context.ts';

const logQuery = z.strictObject({
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const versionParams = z.strictObject({
  version: z.coerce
    .number()
    .int()
    .min(1)
    .max(2 ** 32 - 1),
});
const addressParams = z.strictObject({ address: addressSchema });

export function publicRoutes(app: FastifyInstance, ctx: UnionContext): void {
  app.get('/healthz', async (_request, reply) => {
    try {
      await ctx.db.query('SELECT 1');
      return { ok: true, database: ctx.db.driver };
    } catch {
      throw apiError('NOT_READY', 'The database is not reachable.');
    } finally {
      reply.header('cache-control', 'no-store');
    }
  });

  app.get('/metrics', async (_request, reply) => {
    // Counters kept by triggers (migration 0012): no scan of `members` per scrape.
    const counts = await memberCountsRepo.byStatus(ctx.db);
    for (const status of memberStatuses) {
      ctx.metrics.set('crowdsell_members', { status }, counts[status]);
    }
    return reply.type('text/plain; version=0.0.4').send(ctx.metrics.render());
  });

  app.get('/v1/union', async () => {
    const [config, settings] = await Promise.all([ctx.configs.current(), settingsRepo.get(ctx.db)]);
    const o = ctx.options;
    return {
      chainId: o.chainId,
      contracts: { dataUnion: o.dataUnion.toLowerCase(), ...lower(o.contracts) },
      admin: o.admin.toLowerCase(),
      operator: o.operator.toLowerCase(),
      /** For the marketplace page's chain reads without a wallet; null unless PUBLIC_RPC_URL. */
      publicRpcUrl: o.publicRpcUrl ?? null,
      domain: { ...ctx.domain, verifyingContract: ctx.domain.verifyingContract.toLowerCase() },
      joinPolicy: {
        autoJoin: settings.autoJoin,
        appSecretJoinsAtOnce: settings.autoJoin,
        otherwise: 'pending until an admin approves',
      },
      config: config?.signed ?? null,
      /** Which limits configs must meet here: 'development' only on the local union of npm start. */
      privacyLimits: unionPrivacyLimits(o).kind,
      epoch: {
        epochSeconds: config?.signed.config.epochSeconds ?? null,
        acceptanceWindowSeconds: o.acceptanceWindowSeconds,
        activityWindowSeconds: o.activityWindowSeconds,
      },
    };
  });

  app.get('/v1/config', async (_request, reply) => {
    const config = await ctx.configs.current();
    if (!config) throw apiError('NO_CONFIG', 'The admin has not published a config yet.');
    return reply.type('application/json').send(config.json);
  });

  app.get('/v1/configs/:version', async (request, reply) => {
    const { version } = parseInput(versionParams, request.params, 'config version');
    const config = await ctx.configs.byVersion(version);
    if (!config) throw apiError('CONFIG_NOT_FOUND', `There is no config version ${version}.`);
    return reply.type('application/json').send(config.json);
  });

  app.get('/v1/membership-log', async (request) => {
    const { after, limit } = parseInput(logQuery, request.query, 'query');
    const [entries, head] = await Promise.all([
      membershipLogRepo.page(ctx.db, after, limit),
      membershipLogRepo.head(ctx.db),
    ]);
    const last = entries.at(-1);
    return { entries, head, next: last && last.seq < head.seq ? last.seq : null };
  });

  app.get('/v1/members/:address', async (request) => {
    const { address } = parseInput(addressParams, request.params, 'address');
    const member = await ctx.membership.get(address);
    if (!member) throw apiError('MEMBER_NOT_FOUND', 'This address has not asked to join.');
    return {
      address: member.address,
      status: member.status,
      requestedAt: iso(member.requestedAt),
      joinedAt: iso(member.joinedAt),
      statusChangedAt: iso(member.statusChangedAt),
    };
  });
}

function lower(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, v.toLowerCase()]));
}
