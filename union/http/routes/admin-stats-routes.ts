/**
 * GET /v1/admin/stats (admin session required): the console overview's figures and series. With a
 * chain configured, a read-only provider (opened on first use, closed with the server) asks the
 * DataUnion when each root becomes usable and whether it was revoked.
 */
import { Contract, type JsonRpcProvider } from 'ethers';
import type { FastifyInstance } from 'fastify';

import { connectRpc } from '../../../contracts/chain.ts';
import { dataUnionAt } from '../../../contracts/generated/data-union.ts';
import { StatsService, type RootReader } from '../../services/stats-service.ts';
import type { UnionContext } from '../context.ts';
import { requireAdmin } from './admin-auth-routes.ts';

const tokenAbi = [
  'function symbol() view returns (string)',
  'function decimals() view returns (uint8)',
] as const;

function chainReader(rpcUrl: string, dataUnion: string, tokenAddress: string) {
  let provider: JsonRpcProvider | undefined;
  const open = () => (provider ??= connectRpc(rpcUrl));
  let token: ReturnType<RootReader['token']> | undefined;
  const reader: RootReader = {
    async commitOf(blockNumber) {
      const c = await dataUnionAt(dataUnion, open()).commitOf(blockNumber);
      return { usableAt: Number(c.usableAt), revoked: c.revoked };
    },
    async now() {
      const block = await open().getBlock('latest');
      if (!block) throw new Error('The RPC node has no latest block.');
      return block.timestamp;
    },
    token() {
      token ??= (async () => {
        const erc20 = new Contract(tokenAddress, tokenAbi, open());
        const [symbol, decimals] = (await Promise.all([
          erc20.getFunction('symbol')(),
          erc20.getFunction('decimals')(),
        ])) as [string, bigint];
        return { address: tokenAddress.toLowerCase(), symbol, decimals: Number(decimals) };
      })();
      token.catch(() => (token = undefined));
      return token;
    },
  };
  return { reader, close: () => provider?.destroy() };
}

export function adminStatsRoutes(app: FastifyInstance, ctx: UnionContext): void {
  const o = ctx.options;
  const chain = o.chain ? chainReader(o.chain.rpcUrl, o.dataUnion, o.chain.tokenAddress) : null;
  const stats = new StatsService(
    ctx.db,
    {
      activityWindowSeconds: o.activityWindowSeconds,
      commitPeriodSeconds: o.chain?.commitPeriodSeconds ?? null,
      now: o.now,
    },
    chain?.reader ?? null,
  );
  if (chain) app.addHook('onClose', (_instance, done) => (chain.close(), done()));

  app.get('/v1/admin/stats', async (request, reply) => {
    await requireAdmin(ctx, request);
    reply.header('cache-control', 'no-store');
    return stats.stats();
  });
}
