/**
 * `PUT /tasks/{task-id}/reports` (DAP-09 §4.4.2): the leader accepts a client's `Report`.
 *
 * Checks at upload, each a DAP problem the client can act on: the task is ours
 * (`unrecognizedTask`), the body decodes and its public share has this task's length
 * (`invalidMessage`), the leader's ciphertext names one of our HPKE configs (`outdatedConfig`: the
 * real client refetches and retries), the report is not from the future beyond the tolerated clock
 * skew (`reportTooEarly`), it is not older than the report expiry age (`reportRejected`: it could
 * never be aggregated), and its id is not already taken by other bytes (`reportRejected`). A
 * byte-identical retry is accepted again and stored once. Under a task requiring member
 * signatures, the leader opens its share to check the signature and the signer's membership (the
 * share stays stored sealed), and refuses a member's second report for an epoch
 * (`reportRejected`, with the reason). Last, the store refuses a report in a batch already
 * collected (`reportRejected`: it could never be aggregated; the SQL store checks it in the insert
 * itself). Preparation happens in the aggregation job, so a share is never held in the clear at
 * rest.
 */
import type { FastifyInstance } from 'fastify';
import { Buffer } from 'node:buffer';
import { bodyBytes } from '../dap/body-bytes.ts';
import { decode, DapDecodeError } from '../dap/codec.ts';
import type { HpkeKeypair } from '../dap/hpke.ts';
import { sendProblem } from '../dap/problem.ts';
import { taskIdToString } from '../dap/task-id.ts';
import { MEDIA_TYPES, reportCodec, type Report } from '../dap/upload.ts';
import type { MemberEpoch, MemberSignaturePolicy } from '../membership/verify-member-report.ts';
import { MembershipUnavailable } from '../membership/membership-source.ts';
import { PrepareFailure } from '../vdaf/prepare.ts';
import type { LeaderReportStore } from './report-store.ts';
import { memberOfReport } from './upload-signature.ts';

/** What a 503 asks when the membership log cannot answer yet (about a read's settle time). */
const MEMBERSHIP_RETRY_AFTER_SECONDS = 60;

/** A report is at most this large (a 20-category task's is ≈ 9.6 KB; the ceiling is 16 KB). */
export const MAX_REPORT_BYTES = 64 * 1024;

export interface UploadRouteOptions {
  readonly taskId: Uint8Array;
  readonly publicShareLength: number;
  readonly tolerableClockSkewSeconds: number;
  readonly keypairs: () => readonly HpkeKeypair[];
  readonly store: LeaderReportStore;
  /** Seconds since the Unix epoch (injected: tests never depend on when they run). */
  readonly now: () => number;
  /** Set: only reports signed by a member are accepted, one per member and epoch. */
  readonly memberSignatures?: MemberSignaturePolicy | undefined;
  /**
   * The reports that can still be aggregated (the leader process sets it; route tests about other
   * checks may leave it out): one older than the report expiry age is refused (`reportRejected`,
   * DAP-09 §4.4.2) instead of stored to be dropped.
   */
  readonly window?: UploadWindow | undefined;
}

export interface UploadWindow {
  readonly reportExpiryAgeSeconds: number;
}

export function uploadRoute(app: FastifyInstance, options: UploadRouteOptions): void {
  const ourTask = taskIdToString(options.taskId);
  app.addContentTypeParser(
    MEDIA_TYPES.report,
    { parseAs: 'buffer', bodyLimit: MAX_REPORT_BYTES },
    (_request, body, done) => done(null, body),
  );

  app.put<{ Params: { taskId: string }; Body: Buffer }>(
    '/tasks/:taskId/reports',
    async (request, reply) => {
      const { taskId } = request.params;
      if (taskId !== ourTask) {
        return sendProblem(
          reply,
          'unrecognizedTask',
          `This leader does not run task ${taskId}.`,
          taskId,
        );
      }
      if (!Buffer.isBuffer(request.body)) {
        return sendProblem(
          reply,
          'invalidMessage',
          `A report is sent as ${MEDIA_TYPES.report}.`,
          taskId,
        );
      }
      const bytes = bodyBytes(request.body);
      let report: Report;
      try {
        report = decode(reportCodec, bytes, 'report');
      } catch (error) {
        if (!(error instanceof DapDecodeError)) throw error;
        return sendProblem(
          reply,
          'invalidMessage',
          `The report does not decode: ${error.message}`,
          taskId,
        );
      }
      if (report.publicShare.length !== options.publicShareLength) {
        const detail = `The public share is ${report.publicShare.length} bytes; this task's is ${options.publicShareLength}.`;
        return sendProblem(reply, 'invalidMessage', detail, taskId);
      }
      const configId = report.leaderEncryptedInputShare.configId;
      if (!options.keypairs().some((k) => k.config.id === configId)) {
        const detail = `HPKE config ${configId} is not current; fetch /hpke_config again.`;
        return sendProblem(reply, 'outdatedConfig', detail, taskId);
      }
      const latest = options.now() + options.tolerableClockSkewSeconds;
      if (report.metadata.time > latest) {
        const detail = `The report is timestamped ${report.metadata.time}, after ${latest} (now plus the tolerated clock skew).`;
        return sendProblem(reply, 'reportTooEarly', detail, taskId);
      }
      if (options.window) {
        const late = lateReport(options.window, options.now(), report);
        if (late) return sendProblem(reply, 'reportRejected', late, taskId);
      }
      let member: MemberEpoch | undefined;
      if (options.memberSignatures) {
        try {
          member = await memberOfReport(
            options.memberSignatures,
            options.keypairs(),
            options.taskId,
            report,
          );
        } catch (error) {
          if (error instanceof MembershipUnavailable) {
            // Not the report's fault: the union's log cannot be read, or not yet settled.
            return reply
              .code(503)
              .header('retry-after', String(MEMBERSHIP_RETRY_AFTER_SECONDS))
              .type('application/problem+json')
              .send({
                type: 'about:blank',
                title: 'Service Unavailable',
                status: 503,
                detail: error.message,
              });
          }
          if (!(error instanceof PrepareFailure)) throw error;
          return sendProblem(reply, 'reportRejected', error.message, taskId);
        }
      }
      const outcome = await options.store.put(
        {
          reportId: report.metadata.reportId,
          time: report.metadata.time,
          bytes,
        },
        member,
      );
      if (outcome === 'memberEpochTaken') {
        const detail = `${member?.member} already uploaded a report for this epoch; the first one stands.`;
        return sendProblem(reply, 'reportRejected', detail, taskId);
      }
      if (outcome === 'batchCollected') {
        const detail = `The batch this report's time falls in was already collected; a report can no longer join it.`;
        return sendProblem(reply, 'reportRejected', detail, taskId);
      }
      if (outcome === 'conflict') {
        return sendProblem(
          reply,
          'reportRejected',
          'Another report with this report id was already uploaded.',
          taskId,
        );
      }
      return reply.code(200).send();
    },
  );
}

/** Why a report is too old to be aggregated, or `null` if it is not. */
function lateReport(window: UploadWindow, now: number, report: Report) {
  const { time } = report.metadata;
  const earliest = now - window.reportExpiryAgeSeconds;
  if (time < earliest) {
    return `The report is timestamped ${time}, before ${earliest} (now minus the report expiry age of ${window.reportExpiryAgeSeconds} s); it can no longer be aggregated.`;
  }
  return null;
}
