/**
 * Report uploads: one at a time (201 accepted, 200 same report again, else the error) or a whole
 * outbox as a batch (200 with a result per item, in order). Either way, an item counts as
 * accepted only after the database has committed it. Every report costs its client one token of
 * the per-minute report limit and one of the per-second recovery cap, batched or not; the items
 * of a batch beyond what the client has left are answered RATE_LIMITED one by one.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';

import { CrowdsellError } from '../../../extension/protocol/errors.ts';
import type { IngestResult } from '../../services/report-ingest.ts';
import { parseInput } from '../../domain/parse-input.ts';
import type { UnionContext } from '../context.ts';
import { admitUpTo } from '../rate-limit.ts';

/** Items are validated one by one, so one malformed report does not sink the batch. */
const batchEnvelope = z.strictObject({ reports: z.array(z.unknown()).min(1).max(500) });

function identity(item: unknown, index: number): string {
  if (typeof item === 'object' && item !== null && 'report' in item) {
    const report = item.report;
    if (typeof report === 'object' && report !== null) {
      const { member, epochStart } = report as { member?: unknown; epochStart?: unknown };
      if (typeof member === 'string' && typeof epochStart === 'number') {
        return `${member.toLowerCase()}:${epochStart}`;
      }
    }
  }
  return `#${index}`;
}

const overLimit: IngestResult = {
  status: 'rejected',
  error: { code: 'RATE_LIMITED', message: 'This client is sending reports too fast; retry later.' },
};

export function reportRoutes(app: FastifyInstance, ctx: UnionContext): void {
  const limits = [ctx.limits.reportRequestsPerIp, ctx.limits.recoveriesPerIp].filter(
    (b) => b.enabled,
  );
  /** How many of `wanted` reports this client may send now (throws 429 when none). */
  const admit = (request: FastifyRequest, wanted: number) =>
    limits.length === 0 ? wanted : admitUpTo(limits, request.ip, wanted);

  app.post('/v1/reports', async (request, reply) => {
    admit(request, 1);
    const result = await ctx.ingest.ingest(request.body);
    if (result.status === 'rejected')
      throw new CrowdsellError(result.error.code, result.error.message);
    return reply.code(result.status === 'accepted' ? 201 : 200).send({ status: result.status });
  });

  app.post('/v1/reports/batch', { bodyLimit: ctx.options.batchBodyLimitBytes }, async (request) => {
    const { reports } = parseInput(batchEnvelope, request.body, 'report batch');
    const admitted = admit(request, reports.length);
    // The first copy of each (member, epoch) goes first, all in parallel; later copies follow,
    // so "first wins" means first in the batch, as the outbox sent them.
    const seen = new Set<string>();
    const first: number[] = [];
    const later: number[] = [];
    const results: IngestResult[] = new Array<IngestResult>(reports.length);
    reports.forEach((item, i) => {
      if (i >= admitted) {
        results[i] = overLimit;
        ctx.metrics.inc('crowdsell_reports_rejected_total', { reason: 'RATE_LIMITED' });
        return;
      }
      const key = identity(item, i);
      (seen.has(key) ? later : first).push(i);
      seen.add(key);
    });
    await Promise.all(
      first.map(async (i) => {
        results[i] = await ctx.ingest.ingest(reports[i]);
      }),
    );
    for (const i of later) results[i] = await ctx.ingest.ingest(reports[i]);
    const tally = { accepted: 0, duplicate: 0, rejected: 0 };
    for (const r of results) tally[r.status]++;
    return { results, ...tally };
  });
}
