/**
 * DAP-09 errors as RFC 7807 problem details (§3.2): `type` is `urn:ietf:params:ppm:dap:error:<name>`,
 * which the `@divviup/dap` client reads back (its `DAPError.shortType`, e.g. `outdatedConfig` makes
 * it refetch HPKE configs and retry once).
 */
import type { FastifyReply } from 'fastify';

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

export type DapProblemType =
  | 'invalidMessage'
  | 'unrecognizedTask'
  | 'outdatedConfig'
  | 'reportRejected'
  | 'reportTooEarly'
  | 'unauthorizedRequest'
  | 'batchInvalid'
  | 'invalidBatchSize'
  | 'batchMismatch'
  | 'batchOverlap'
  | 'batchQueriedTooManyTimes';

const STATUS: Record<DapProblemType, number> = {
  invalidMessage: 400,
  unrecognizedTask: 404,
  outdatedConfig: 400,
  reportRejected: 400,
  reportTooEarly: 400,
  unauthorizedRequest: 403,
  batchInvalid: 400,
  invalidBatchSize: 400,
  batchMismatch: 400,
  batchOverlap: 400,
  batchQueriedTooManyTimes: 400,
};

const TITLE: Record<DapProblemType, string> = {
  invalidMessage: 'The message was malformed.',
  unrecognizedTask: 'An endpoint received a message with an unknown task ID.',
  outdatedConfig: 'The message was generated using an outdated configuration.',
  reportRejected: 'Report could not be processed.',
  reportTooEarly: 'Report could not be processed because it arrived too early.',
  unauthorizedRequest: 'The request authorization is not valid.',
  batchInvalid: 'The batch implied by the query is invalid.',
  invalidBatchSize: 'The number of reports included in the batch is invalid.',
  batchMismatch: 'Leader and helper disagree on reports aggregated in a batch.',
  batchOverlap: 'The queried batch overlaps with a previously queried batch.',
  batchQueriedTooManyTimes: 'The batch described by the query has been queried too many times.',
};

export function sendProblem(
  reply: FastifyReply,
  type: DapProblemType,
  detail: string,
  taskId?: string,
): FastifyReply {
  return reply
    .code(STATUS[type])
    .type(PROBLEM_MEDIA_TYPE)
    .send({
      type: `urn:ietf:params:ppm:dap:error:${type}`,
      title: TITLE[type],
      status: STATUS[type],
      detail,
      ...(taskId === undefined ? {} : { taskid: taskId }),
    });
}
