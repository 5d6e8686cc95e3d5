/**
 * `POST /tasks/{task-id}/aggregate_shares` (DAP-09 §4.6.3): the leader's `AggregateShareReq` for
 * a time interval, answered with the helper's aggregate share sealed to the collector — the pure
 * step (`answerAggregateShareReq`) over the helper's stored batch aggregations. Refused: an
 * interval not aligned to the task's time precision (`batchInvalid`), a batch the helper holds
 * fewer reports of than the minimum batch size (`invalidBatchSize`), a count or checksum that
 * differs from the helper's (`batchMismatch`), and a second query: each batch is given once — the
 * same request again gets the stored bytes, another request for the interval
 * `batchQueriedTooManyTimes`, an interval overlapping a collected one `batchOverlap`. The share is
 * noised once (the task's central ε) and the answer stored, so a retry gets the same noise.
 */
import type { FastifyInstance } from 'fastify';
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { decode, DapDecodeError, encode } from '../dap/codec.ts';
import {
  aggregateShareCodec,
  aggregateShareReqCodec,
  type AggregateShareReq,
} from '../dap/collection.ts';
import { invalidBatchInterval } from '../dap/batch-interval.ts';
import { sendProblem, type DapProblemType } from '../dap/problem.ts';
import { MEDIA_TYPES } from '../dap/upload.ts';
import { answerAggregateShareReq, BatchMismatch } from './aggregate-share.ts';
import { refuseUnlessAuthorized } from './auth.ts';
import type { ShareNoise } from '../vdaf/central-noise.ts';
import type { HelperStore } from './store.ts';
import type { HelperTaskDefinition } from './task-definition.ts';

const MAX_REQUEST_BYTES = 4 * 1024;

/** A refusal decided inside the collection transaction (rolled back, nothing marked collected). */
class Refusal extends Error {
  constructor(
    readonly type: DapProblemType,
    message: string,
  ) {
    super(message);
  }
}

interface RouteOptions {
  readonly task: HelperTaskDefinition;
  readonly store: HelperStore;
  /** Central noise added to the share before it is sealed (the task's ε; random injected). */
  readonly noise: ShareNoise;
}

export function aggregateShareRoute(app: FastifyInstance, options: RouteOptions): void {
  const { task, store, noise } = options;
  app.addContentTypeParser(
    MEDIA_TYPES.aggregateShareReq,
    { parseAs: 'buffer', bodyLimit: MAX_REQUEST_BYTES },
    (_request, body, done) => done(null, body),
  );

  app.post<{ Params: { taskId: string }; Body: Buffer }>(
    '/tasks/:taskId/aggregate_shares',
    async (request, reply) => {
      const refused = refuseUnlessAuthorized(task, request, reply);
      if (refused) return refused;
      const { taskId } = request.params;
      if (!Buffer.isBuffer(request.body)) {
        const detail = `An aggregate share request is sent as ${MEDIA_TYPES.aggregateShareReq}.`;
        return sendProblem(reply, 'invalidMessage', detail, taskId);
      }
      let shareReq: AggregateShareReq;
      try {
        shareReq = decode(aggregateShareReqCodec, new Uint8Array(request.body), 'request');
      } catch (error) {
        if (!(error instanceof DapDecodeError)) throw error;
        const detail = `The aggregate share request does not decode: ${error.message}`;
        return sendProblem(reply, 'invalidMessage', detail, taskId);
      }
      const invalid = invalidBatchInterval(shareReq.batchInterval, task.timePrecisionSeconds);
      if (invalid !== null) return sendProblem(reply, 'batchInvalid', invalid, taskId);
      const requestHash = new Uint8Array(createHash('sha256').update(request.body).digest());
      try {
        const outcome = await store.collectBatch(
          shareReq.batchInterval,
          requestHash,
          async (batch) => {
            if (batch.reportCount < task.minBatchSize) {
              throw new Refusal(
                'invalidBatchSize',
                `The helper holds ${batch.reportCount} reports in this batch; at least ${task.minBatchSize} are needed.`,
              );
            }
            const sealed = await answerAggregateShareReq(
              task.vdaf,
              task.taskId,
              task.collectorHpkeConfig,
              batch,
              shareReq,
              noise,
            );
            return encode(aggregateShareCodec, sealed);
          },
        );
        if (outcome.kind === 'queried') {
          const detail = 'This batch interval was already collected with another request.';
          return sendProblem(reply, 'batchQueriedTooManyTimes', detail, taskId);
        }
        if (outcome.kind === 'overlap') {
          const detail = 'This batch interval overlaps a batch that was already collected.';
          return sendProblem(reply, 'batchOverlap', detail, taskId);
        }
        return reply.code(200).type(MEDIA_TYPES.aggregateShare).send(Buffer.from(outcome.response));
      } catch (error) {
        if (error instanceof BatchMismatch) {
          return sendProblem(reply, 'batchMismatch', error.message, taskId);
        }
        if (!(error instanceof Refusal)) throw error;
        return sendProblem(reply, error.type, error.message, taskId);
      }
    },
  );
}
