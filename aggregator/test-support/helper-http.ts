/**
 * The leader's side of talking to a helper over HTTP, for tests: one aggregation job (the pure
 * leader steps around a real `PUT`) and one `AggregateShareReq` (a real `POST`), with the
 * `DAP-Auth-Token` header. Part 2's leader will do this with its own HTTP client and storage.
 */
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { aggregationJobRespCodec } from '../dap/aggregation.ts';
import { decode, encode } from '../dap/codec.ts';
import {
  aggregateShareCodec,
  aggregateShareReqCodec,
  type AggregateShareReq,
} from '../dap/collection.ts';
import { aggregationJobInitReqCodec } from '../dap/aggregation.ts';
import { taskIdToString } from '../dap/task-id.ts';
import { hpkeConfigListCodec, MEDIA_TYPES, type HpkeConfig, type Report } from '../dap/upload.ts';
import {
  finishAggregationJob,
  startAggregationJob,
  type FinishedJob,
  type LeaderTask,
} from '../leader/aggregation-job.ts';

export interface HelperEndpoint {
  readonly url: string;
  readonly token: string;
}

export const newJobId = () => randomBytes(16).toString('base64url');

export async function helperConfigs(url: string, taskId: Uint8Array): Promise<HpkeConfig[]> {
  const response = await fetch(`${url}/hpke_config?task_id=${taskIdToString(taskId)}`);
  if (!response.ok) throw new Error(`GET /hpke_config answered ${response.status}`);
  const list = decode(hpkeConfigListCodec, new Uint8Array(await response.arrayBuffer()), 'list');
  return [...list];
}

export function putJob(
  helper: HelperEndpoint,
  taskId: Uint8Array,
  jobId: string,
  body: Uint8Array,
): Promise<Response> {
  return fetch(`${helper.url}/tasks/${taskIdToString(taskId)}/aggregation_jobs/${jobId}`, {
    method: 'PUT',
    headers: { 'content-type': MEDIA_TYPES.aggregationJobInitReq, 'dap-auth-token': helper.token },
    body: Buffer.from(body),
  });
}

/** Runs one aggregation job over HTTP; returns the finished job and the response bytes. */
export async function runJob(
  leader: LeaderTask,
  helper: HelperEndpoint,
  reports: readonly Report[],
  jobId = newJobId(),
): Promise<{ finished: FinishedJob; responseBytes: Uint8Array; jobId: string }> {
  const started = await startAggregationJob(leader, reports);
  const response = await putJob(
    helper,
    leader.taskId,
    jobId,
    encode(aggregationJobInitReqCodec, started.request),
  );
  if (response.status !== 200) {
    throw new Error(`The helper answered ${response.status}: ${await response.text()}`);
  }
  const responseBytes = new Uint8Array(await response.arrayBuffer());
  const answers = decode(aggregationJobRespCodec, responseBytes, 'aggregation job response');
  return { finished: await finishAggregationJob(leader, started, answers), responseBytes, jobId };
}

export function postAggregateShareReq(
  helper: HelperEndpoint,
  taskId: Uint8Array,
  request: AggregateShareReq,
): Promise<Response> {
  return fetch(`${helper.url}/tasks/${taskIdToString(taskId)}/aggregate_shares`, {
    method: 'POST',
    headers: { 'content-type': MEDIA_TYPES.aggregateShareReq, 'dap-auth-token': helper.token },
    body: Buffer.from(encode(aggregateShareReqCodec, request)),
  });
}

export async function aggregateShareOf(response: Response) {
  if (response.status !== 200) {
    throw new Error(`The helper answered ${response.status}: ${await response.text()}`);
  }
  return decode(aggregateShareCodec, new Uint8Array(await response.arrayBuffer()), 'share');
}
