/**
 * The data product over HTTP (issue 8). Public: GET /v1/product, /v1/product/datasheet,
 * /v1/product/sample, and researcher sign-in (/v1/product/nonce, POST /v1/product/session).
 * Subscribers (Bearer token from the sign-in, plus a live Marketplace subscription):
 * GET /v1/product/aggregates (streamed JSON, CSV, NDJSON or Parquet) and /v1/product/stream (SSE).
 */
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

import { signatureSchema } from '../../../extension/protocol/wire.ts';
import { unionPrivacyLimits } from '../../config/privacy-limits.ts';
import { instantSecondsInput } from '../../domain/date-input.ts';
import { parseInput } from '../../domain/parse-input.ts';
import { memberCountsRepo } from '../../repo/member-counts-repo.ts';
import {
  COUNT_STEP,
  datasheet,
  datasheetMarkdownUrl,
  encodeRows,
  exportFormats,
  productTable,
  publicSample,
  sampleTable,
  SAMPLE_MIN_AGE_SECONDS,
  type ExportFormat,
  type ProductRow,
} from '../../product/index.ts';
import { apiError } from '../api-errors.ts';
import type { UnionContext } from '../context.ts';
import { enforce } from '../rate-limit.ts';

/** Streamed downloads may take long; the 30 s handler timeout would cut them off. */
const DOWNLOAD_TIMEOUT_MS = 60 * 60_000;
const HEARTBEAT_MS = 15_000;
const MAX_CATEGORIES = 200;

const signInBody = z.strictObject({
  message: z.string().min(1).max(4000),
  signature: signatureSchema,
});

/** Unix seconds, or an ISO 8601 date / date-time, 1970–9999. */
const instant = instantSecondsInput;

const formatSchema = z.enum(['json', 'csv', 'ndjson', 'parquet']).default('json');

const aggregatesQuery = z.strictObject({
  from: instant.optional(),
  to: instant.optional(),
  categories: z
    .string()
    .regex(/^\d{1,5}(,\d{1,5})*$/, 'expected comma-separated category ids')
    .optional(),
  format: formatSchema,
});

const sampleQuery = z.strictObject({
  format: formatSchema,
  period: z.enum(['week', 'month']).default('month'),
});

const datasheetQuery = z.strictObject({ format: z.enum(['json', 'md']).default('json') });

function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
}

/** The signed-in researcher with a live subscription, or AUTH_REQUIRED / SUBSCRIPTION_EXPIRED. */
async function requireSubscriber(ctx: UnionContext, request: FastifyRequest) {
  const token = bearer(request);
  if (!token) {
    throw apiError(
      'AUTH_REQUIRED',
      'Sign in with Ethereum at POST /v1/product/session and send the token as a Bearer header.',
    );
  }
  const session = await ctx.productAccess.authenticate(token);
  if (!session) {
    throw apiError(
      'AUTH_REQUIRED',
      'The researcher session is missing or has expired; sign in again.',
    );
  }
  const { end } = await ctx.productAccess.requireSubscription(session.address);
  return { address: session.address, subscriptionEnd: end };
}

async function* jsonRows(rows: AsyncIterable<ProductRow>): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  yield encoder.encode('{"rows":[');
  let first = true;
  for await (const row of rows) {
    yield encoder.encode(`${first ? '' : ','}\n${JSON.stringify(row)}`);
    first = false;
  }
  yield encoder.encode('\n]}\n');
}

function sendDownload(
  reply: FastifyReply,
  format: ExportFormat,
  name: string,
  chunks: AsyncGenerator<Uint8Array>,
) {
  const { contentType, fileExtension } = exportFormats[format];
  reply.header('content-type', contentType);
  reply.header('content-disposition', `attachment; filename="${name}.${fileExtension}"`);
  reply.header('cache-control', 'no-store');
  return reply.send(Readable.from(chunks));
}

export function productRoutes(app: FastifyInstance, ctx: UnionContext): void {
  const streams = new Set<() => void>();
  app.addHook('preClose', (done) => {
    for (const end of streams) end();
    done();
  });

  // Public reads that scan tables or ask the chain: a per-client limit and a short cache.
  const cached = <T>(key: string, read: () => Promise<T>) => ctx.readCaches.product.get(key, read);

  app.get('/v1/product', { config: { upstream: 'chain' } }, async (request) => {
    enforce(ctx.limits.publicReadsPerIp, () => request.ip);
    const [summary, price, config, counts] = await Promise.all([
      cached('summary', () => ctx.product.summary()),
      cached('price', () => ctx.productAccess.price()),
      ctx.configs.current(),
      // Already public in /metrics (crowdsell_members); the marketplace page lists it.
      cached('members', () => memberCountsRepo.byStatus(ctx.db)),
    ]);
    const iso = (s: number | null) => (s === null ? null : new Date(s * 1000).toISOString());
    const chain = ctx.options.product;
    return {
      name: ctx.options.listing.name,
      description: ctx.options.listing.description,
      categories: (config?.signed.config.categories ?? []).map((c) => ({
        id: c.id,
        key: c.key,
        label: c.label,
      })),
      epochSeconds: config?.signed.config.epochSeconds ?? null,
      kThreshold: config?.signed.config.privacy.kThreshold ?? null,
      // Each epoch is published once, after the acceptance window and the grace (issue 15).
      publication: {
        delaySeconds: ctx.options.acceptanceWindowSeconds + ctx.options.productGraceSeconds,
        memberCountStep: COUNT_STEP,
      },
      epochs: { count: summary.epochs, first: iso(summary.first), last: iso(summary.last) },
      members: { active: counts.active },
      formats: ['json', ...Object.keys(exportFormats)],
      subscription: chain
        ? {
            chainId: ctx.options.chainId,
            marketplace: chain.marketplace.toLowerCase(),
            productId: chain.productId.toLowerCase(),
            ...price,
          }
        : null,
    };
  });

  app.get('/v1/product/datasheet', async (request, reply) => {
    const { format } = parseInput(datasheetQuery, request.query, 'query');
    if (format === 'md') {
      const markdown = await readFile(datasheetMarkdownUrl, 'utf8');
      return reply.type('text/markdown; charset=utf-8').send(markdown);
    }
    return datasheet(unionPrivacyLimits(ctx.options));
  });

  app.get('/v1/product/sample', async (request, reply) => {
    const { format, period } = parseInput(sampleQuery, request.query, 'query');
    enforce(ctx.limits.publicReadsPerIp, () => request.ip);
    const cutoff = Math.floor(ctx.options.now() / 1000) - SAMPLE_MIN_AGE_SECONDS;
    const rows = await cached(`sample:${period}`, () =>
      publicSample(ctx.product.rows({ from: 0, to: cutoff }), { period, cutoff }),
    );
    if (format === 'json') return { period, rows };
    return sendDownload(
      reply,
      format,
      `crowdsell-sample-${period}`,
      encodeRows(format, rows, sampleTable),
    );
  });

  app.get('/v1/product/nonce', async (request, reply) => {
    enforce(ctx.limits.adminPerIp, () => request.ip);
    const { nonce, expiresAt } = await ctx.productAccess.createNonce();
    reply.header('cache-control', 'no-store');
    return { nonce, expiresAt: expiresAt.toISOString() };
  });

  app.post('/v1/product/session', async (request, reply) => {
    enforce(ctx.limits.adminPerIp, () => request.ip);
    enforce(ctx.limits.recoveriesPerIp, () => request.ip);
    const { message, signature } = parseInput(signInBody, request.body, 'sign-in request');
    const session = await ctx.productAccess.signIn(message, signature);
    return reply.code(201).send({
      token: session.token,
      address: session.address,
      expiresAt: session.expiresAt.toISOString(),
    });
  });

  app.get(
    '/v1/product/aggregates',
    { handlerTimeout: DOWNLOAD_TIMEOUT_MS, config: { upstream: 'chain' } },
    async (request, reply) => {
      const query = parseInput(aggregatesQuery, request.query, 'query');
      await requireSubscriber(ctx, request);
      const from = query.from ?? 0;
      const to = query.to ?? Number.MAX_SAFE_INTEGER;
      if (to <= from) throw apiError('BAD_REQUEST', 'The query needs from < to.');
      const ids = query.categories?.split(',').map(Number);
      if (ids && ids.length > MAX_CATEGORIES) {
        throw apiError('BAD_REQUEST', `Ask for at most ${MAX_CATEGORIES} categories at once.`);
      }
      const rows = ctx.product.rows({ from, to, categories: ids ? new Set(ids) : undefined });
      const format = query.format;
      if (format === 'json') {
        reply.header('content-type', 'application/json; charset=utf-8');
        reply.header('cache-control', 'no-store');
        return reply.send(Readable.from(jsonRows(rows)));
      }
      return sendDownload(
        reply,
        format,
        'crowdsell-aggregates',
        encodeRows(format, rows, productTable),
      );
    },
  );

  app.get('/v1/product/stream', { config: { upstream: 'chain' } }, async (request, reply) => {
    const { subscriptionEnd } = await requireSubscriber(ctx, request);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(
      `retry: 5000\n: subscribed until ${new Date(subscriptionEnd * 1000).toISOString()}\n\n`,
    );
    // Each epoch is published once, so each is sent once; its start is its id.
    const unsubscribe = ctx.product.onPublished(({ epoch, rows }) => {
      const data = JSON.stringify({
        epochStart: new Date(epoch.epochStart * 1000).toISOString(),
        epochSeconds: epoch.epochSeconds,
        rows,
      });
      res.write(`event: epoch\nid: ${epoch.epochStart}\ndata: ${data}\n\n`);
    });
    const heartbeat = setInterval(() => {
      if (ctx.options.now() >= subscriptionEnd * 1000) {
        res.write('event: expired\ndata: {"code":"SUBSCRIPTION_EXPIRED"}\n\n');
        end();
        return;
      }
      res.write(': heartbeat\n\n');
    }, HEARTBEAT_MS);
    heartbeat.unref();
    const end = () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(end);
      if (!res.writableEnded) res.end();
    };
    streams.add(end);
    request.raw.on('close', end);
  });
}
