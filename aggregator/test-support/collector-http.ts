/**
 * The collector's side over HTTP, for tests: create a collection job (`PUT`) and poll it (`POST`)
 * with the collector's `DAP-Auth-Token`, then open a Collection with the collector's keys.
 */
import { Buffer } from 'node:buffer';
import type { Interval } from '../dap/batch.ts';
import { encode } from '../dap/codec.ts';
import { collectionReqCodec } from '../dap/collection.ts';
import { taskIdToString } from '../dap/task-id.ts';
import { MEDIA_TYPES } from '../dap/upload.ts';

export interface LeaderEndpoint {
  readonly url: string;
  readonly taskId: Uint8Array;
  readonly token: string;
}

const jobUrl = (leader: LeaderEndpoint, jobId: string, taskId = leader.taskId) =>
  `${leader.url}/tasks/${taskIdToString(taskId)}/collection_jobs/${jobId}`;

export function putCollectionJob(
  leader: LeaderEndpoint,
  jobId: string,
  batchInterval: Interval,
  overrides: { readonly token?: string; readonly taskId?: Uint8Array } = {},
): Promise<Response> {
  const body = encode(collectionReqCodec, {
    batchInterval,
    aggregationParameter: new Uint8Array(0),
  });
  return fetch(jobUrl(leader, jobId, overrides.taskId), {
    method: 'PUT',
    headers: {
      'content-type': MEDIA_TYPES.collectReq,
      'dap-auth-token': overrides.token ?? leader.token,
    },
    body: Buffer.from(body),
  });
}

export function deleteCollectionJob(leader: LeaderEndpoint, jobId: string): Promise<Response> {
  return fetch(jobUrl(leader, jobId), {
    method: 'DELETE',
    headers: { 'dap-auth-token': leader.token },
  });
}

export function pollCollectionJob(
  leader: LeaderEndpoint,
  jobId: string,
  token = leader.token,
): Promise<Response> {
  return fetch(jobUrl(leader, jobId), { method: 'POST', headers: { 'dap-auth-token': token } });
}

/** The DAP problem type's short name of a problem response (e.g. `batchOverlap`). */
export async function problemOf(response: Response): Promise<string> {
  const body = (await response.json()) as { type: string };
  return body.type.replace('urn:ietf:params:ppm:dap:error:', '');
}
