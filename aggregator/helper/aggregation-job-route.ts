/**
 * `PUT /tasks/{task-id}/aggregation_jobs/{job-id}` (DAP-09 §4.5.1): the leader's
 * `AggregationJobInitReq`, answered with an `AggregationJobResp` — the pure helper step
 * (`prepareAggregationJob`) around the helper's store. A retry of the same request gets the stored
 * response byte for byte and adds nothing; another request under a used job id is refused; a
 * report id aggregated by an earlier job is answered `report_replayed`, and a report in a batch
 * already collected `batch_collected`, a report timestamped after now plus the tolerated clock
 * skew `report_too_early`; none adds anything. Not yet: an upper age limit for reports.
 */
import type { FastifyInstance } from 'fastify';
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import {
  aggregationJobInitReqCodec,
  aggregationJobRespCodec,
  type AggregationJobInitReq,
} from '../dap/aggregation.ts';
import { bodyBytes } from '../dap/body-bytes.ts';
import { decode, DapDecodeError, encode } from '../dap/codec.ts';
import type { HpkeKeypair } from '../dap/hpke.ts';
import { sendProblem } from '../dap/problem.ts';
import { MEDIA_TYPES } from '../dap/upload.ts';
import type { MemberSignaturePolicy } from '../membership/verify-member-report.ts';
import {
  DuplicateReportInJob,
  prepareAggregationJob,
  type HelperJobResult,
} from './aggregation-job.ts';
import { refuseUnlessAuthorized } from './auth.ts';
import type { HelperStore, JobOutcome, PreparedReport } from './store.ts';
import type { HelperTaskDefinition } from './task-definition.ts';

/** An aggregation job request is at most this large (≈ 1,600 reports of a 20-category task). */
const MAX_JOB_BYTES = 16 * 1024 * 1024;
const JOB_ID = /^[A-Za-z0-9_-]{22}$/;

interface RouteOptions {
  readonly task: HelperTaskDefinition;
  readonly keypairs: () => readonly HpkeKeypair[];
  readonly store: HelperStore;
  /** Seconds since the Unix epoch. */
  readonly now: () => number;
  /** Set: reports must be signed by a member, one per member and epoch (aggregation-job.ts). */
  readonly memberSignatures?: MemberSignaturePolicy | undefined;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function preparedReports(
  task: HelperTaskDefinition,
  now: number,
  request: AggregationJobInitReq,
  { response, outputShares, members }: HelperJobResult,
): PreparedReport[] {
  return request.prepareInits.map((init, i) => {
    const { reportId, time } = init.reportShare.metadata;
    const common = { reportId, time, batchStart: time - (time % task.timePrecisionSeconds) };
    const answer = response[i];
    if (time > now + task.tolerableClockSkewSeconds) {
      return { ...common, state: 'failed', error: 'report_too_early' };
    }
    const outputShare = outputShares.get(hex(reportId));
    if (answer?.state === 'reject') return { ...common, state: 'failed', error: answer.error };
    if (outputShare === undefined) throw new Error('A continued report has no output share.');
    return { ...common, state: 'finished', outputShare, member: members.get(hex(reportId)) };
  });
}

export function aggregationJobRoute(app: FastifyInstance, options: RouteOptions): void {
  const { task, store } = options;
  app.addContentTypeParser(
    MEDIA_TYPES.aggregationJobInitReq,
    { parseAs: 'buffer', bodyLimit: MAX_JOB_BYTES },
    (_request, body, done) => done(null, body),
  );

  app.put<{ Params: { taskId: string; jobId: string }; Body: Buffer }>(
    '/tasks/:taskId/aggregation_jobs/:jobId',
    async (request, reply) => {
      const refused = refuseUnlessAuthorized(task, request, reply);
      if (refused) return refused;
      const { taskId, jobId } = request.params;
      if (!JOB_ID.test(jobId)) {
        const detail = 'An aggregation job id is 16 bytes in unpadded base64url.';
        return sendProblem(reply, 'invalidMessage', detail, taskId);
      }
      if (!Buffer.isBuffer(request.body)) {
        const detail = `An aggregation job is sent as ${MEDIA_TYPES.aggregationJobInitReq}.`;
        return sendProblem(reply, 'invalidMessage', detail, taskId);
      }
      const body = bodyBytes(request.body);
      let initReq: AggregationJobInitReq;
      try {
        initReq = decode(aggregationJobInitReqCodec, body, 'aggregation job');
      } catch (error) {
        if (!(error instanceof DapDecodeError)) throw error;
        const detail = `The aggregation job does not decode: ${error.message}`;
        return sendProblem(reply, 'invalidMessage', detail, taskId);
      }
      const id = new Uint8Array(Buffer.from(jobId, 'base64url'));
      const requestHash = new Uint8Array(createHash('sha256').update(body).digest());
      const send = (outcome: JobOutcome) =>
        outcome.kind === 'conflict'
          ? sendProblem(
              reply,
              'invalidMessage',
              `Aggregation job ${jobId} was already created with a different request.`,
              taskId,
            )
          : reply
              .code(200)
              .type(MEDIA_TYPES.aggregationJobResp)
              .send(Buffer.from(outcome.response));
      const known = await store.findJob(id, requestHash);
      if (known) return send(known);
      let prepared: Awaited<ReturnType<typeof prepareAggregationJob>>;
      try {
        prepared = await prepareAggregationJob(
          { ...task, keypairs: options.keypairs(), memberSignatures: options.memberSignatures },
          initReq,
        );
      } catch (error) {
        if (!(error instanceof DuplicateReportInJob)) throw error;
        return sendProblem(reply, 'invalidMessage', error.message, taskId);
      }
      const reports = preparedReports(task, options.now(), initReq, prepared);
      const tooEarly = new Set(
        reports
          .filter((r) => r.state === 'failed' && r.error === 'report_too_early')
          .map((r) => hex(r.reportId)),
      );
      const outcome = await store.commitJob(id, requestHash, reports, (rejected) =>
        encode(
          aggregationJobRespCodec,
          prepared.response.map((r) => {
            const id = hex(r.reportId);
            const error = tooEarly.has(id) ? 'report_too_early' : rejected.get(id);
            return error ? { reportId: r.reportId, state: 'reject', error } : r;
          }),
        ),
      );
      return send(outcome);
    },
  );
}
