/**
 * The collector's side of the leader (DAP-09 §4.6.1–4.6.2), authenticated with the collector auth
 * token in `DAP-Auth-Token`:
 *
 *   PUT  /tasks/{task}/collection_jobs/{job}   CollectionReq → 201 (the same request again: 201)
 *   POST /tasks/{task}/collection_jobs/{job}   → 202 while the job runs, 200 with the Collection,
 *                                               or the problem that ended it; 404 if unknown
 *   DELETE /tasks/{task}/collection_jobs/{job} → 204, the job and its Collection forgotten (a
 *                                               frozen batch stays collected); 404 if unknown
 *
 * Refused at `PUT`: another task (`unrecognizedTask`), a wrong or missing token
 * (`unauthorizedRequest`), a body or job id that does not decode, an aggregation parameter
 * (`invalidMessage`), an interval not aligned to the time precision (`batchInvalid`), a batch
 * already collected (`batchQueriedTooManyTimes`) or overlapping one (`batchOverlap`). A batch
 * below the minimum size ends its job with `invalidBatchSize` (seen at the poll). The work is
 * `collection-driver.ts`; this file only records and reports.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { refuseUnlessTokenMatches } from '../dap/auth-token.ts';
import { decode, DapDecodeError } from '../dap/codec.ts';
import { collectionReqCodec, type CollectionReq } from '../dap/collection.ts';
import { sendProblem } from '../dap/problem.ts';
import { MEDIA_TYPES } from '../dap/upload.ts';
import { invalidBatchInterval } from '../dap/batch-interval.ts';
import { pollAnswer } from './collection-job.ts';
import type { SqlCollectionStore } from './db/sql-collection-store.ts';

const MAX_REQUEST_BYTES = 1024;
const JOB_ID_LENGTH = 16;

export interface CollectionJobRouteOptions {
  readonly taskId: Uint8Array;
  /** null: no collector is configured, every request is refused. */
  readonly collectorAuthToken: string | null;
  readonly timePrecisionSeconds: number;
  readonly store: SqlCollectionStore;
}

type JobRequest = FastifyRequest<{ Params: { taskId: string; jobId: string }; Body: Buffer }>;

export function collectionJobRoute(app: FastifyInstance, options: CollectionJobRouteOptions): void {
  const { store } = options;
  app.addContentTypeParser(
    MEDIA_TYPES.collectReq,
    { parseAs: 'buffer', bodyLimit: MAX_REQUEST_BYTES },
    (_request, body, done) => done(null, body),
  );

  /** Authenticates and decodes the job id; the problem reply already sent, or the job id. */
  function guard(request: JobRequest, reply: FastifyReply): FastifyReply | Uint8Array {
    const { taskId, jobId } = request.params;
    if (options.collectorAuthToken === null) {
      const detail = 'This leader has no collector configured for this task.';
      return sendProblem(reply, 'unauthorizedRequest', detail, taskId);
    }
    const guarded = {
      taskId: options.taskId,
      token: options.collectorAuthToken,
      server: 'leader' as const,
    };
    const refused = refuseUnlessTokenMatches(guarded, request, reply);
    if (refused) return refused;
    const id = /^[A-Za-z0-9_-]+$/.test(jobId) ? Buffer.from(jobId, 'base64url') : Buffer.alloc(0);
    if (id.length !== JOB_ID_LENGTH) {
      const detail = `A collection job id is ${JOB_ID_LENGTH} bytes in unpadded base64url.`;
      return sendProblem(reply, 'invalidMessage', detail, taskId);
    }
    return new Uint8Array(id);
  }

  app.put('/tasks/:taskId/collection_jobs/:jobId', async (request: JobRequest, reply) => {
    const jobId = guard(request, reply);
    if (!(jobId instanceof Uint8Array)) return jobId;
    const { taskId } = request.params;
    if (!Buffer.isBuffer(request.body)) {
      const detail = `A collection request is sent as ${MEDIA_TYPES.collectReq}.`;
      return sendProblem(reply, 'invalidMessage', detail, taskId);
    }
    let req: CollectionReq;
    try {
      req = decode(collectionReqCodec, new Uint8Array(request.body), 'collection request');
    } catch (error) {
      if (!(error instanceof DapDecodeError)) throw error;
      const detail = `The collection request does not decode: ${error.message}`;
      return sendProblem(reply, 'invalidMessage', detail, taskId);
    }
    if (req.aggregationParameter.length !== 0) {
      const detail = 'Prio3 takes no aggregation parameter; it must be empty.';
      return sendProblem(reply, 'invalidMessage', detail, taskId);
    }
    const invalid = invalidBatchInterval(req.batchInterval, options.timePrecisionSeconds);
    if (invalid !== null) return sendProblem(reply, 'batchInvalid', invalid, taskId);
    const hash = new Uint8Array(createHash('sha256').update(request.body).digest());
    const outcome = await store.create(jobId, req.batchInterval, hash);
    if (outcome === 'conflict') {
      const detail = 'This collection job id was already created with another request.';
      return sendProblem(reply, 'invalidMessage', detail, taskId);
    }
    if (outcome === 'queried') {
      const detail = 'This batch interval was already collected by another collection job.';
      return sendProblem(reply, 'batchQueriedTooManyTimes', detail, taskId);
    }
    if (outcome === 'overlap') {
      const detail = 'This batch interval overlaps a batch that was already collected.';
      return sendProblem(reply, 'batchOverlap', detail, taskId);
    }
    return reply.code(201).send();
  });

  app.post('/tasks/:taskId/collection_jobs/:jobId', async (request: JobRequest, reply) => {
    const jobId = guard(request, reply);
    if (!(jobId instanceof Uint8Array)) return jobId;
    const job = await store.find(jobId);
    if (job === null) return reply.code(404).send();
    const answer = pollAnswer(job);
    if (answer.kind === 'processing') return reply.code(202).send();
    if (answer.kind === 'problem') {
      return sendProblem(reply, answer.problem, answer.detail, request.params.taskId);
    }
    return reply.code(200).type(MEDIA_TYPES.collection).send(Buffer.from(answer.bytes));
  });

  app.delete('/tasks/:taskId/collection_jobs/:jobId', async (request: JobRequest, reply) => {
    const jobId = guard(request, reply);
    if (!(jobId instanceof Uint8Array)) return jobId;
    return reply.code((await store.remove(jobId)) ? 204 : 404).send();
  });
}
