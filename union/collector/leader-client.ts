/**
 * The union's HTTP client to the DAP leader, as the task's collector (DAP-09 §4.6) and payer:
 * create a collection job (`PUT`), poll it (`POST`), and read the contributions that passed
 * preparation on both aggregators (`GET /internal/tasks/{task}/contributions`, the leader's
 * route for the union). Every request carries the collector auth token in `DAP-Auth-Token`.
 *
 * Answers are sorted into what the caller does next: a `Collection` to open, "still processing"
 * (poll later), a DAP problem that ends the job for good (a 4xx `problem+json`), or an error
 * thrown for anything transient (network, 5xx, a body that does not decode) — the caller retries.
 */
import { Buffer } from 'node:buffer';
import { z } from 'zod';

import type { Interval } from '../../aggregator/dap/batch.ts';
import { decode, encode } from '../../aggregator/dap/codec.ts';
import {
  collectionCodec,
  collectionReqCodec,
  type Collection,
} from '../../aggregator/dap/collection.ts';
import { MEDIA_TYPES } from '../../aggregator/dap/upload.ts';

export interface LeaderTarget {
  /** The leader's base URL, as the signed config names it. */
  readonly url: string;
  /** Unpadded base64url, as in the signed config. */
  readonly taskId: string;
  readonly token: string;
  readonly fetch: typeof fetch;
}

export type PollResult =
  | { readonly kind: 'processing' }
  | { readonly kind: 'collection'; readonly collection: Collection }
  | { readonly kind: 'problem'; readonly problem: string; readonly detail: string };

/** A transient failure talking to the leader: asked again later. */
export class LeaderUnavailable extends Error {
  override readonly name = 'LeaderUnavailable';
}

const PROBLEM_PREFIX = 'urn:ietf:params:ppm:dap:error:';
const AUTH_HEADER = 'dap-auth-token';

const base = (target: LeaderTarget) => target.url.replace(/\/+$/, '');

const jobUrl = (target: LeaderTarget, jobId: string) =>
  `${base(target)}/tasks/${target.taskId}/collection_jobs/${jobId}`;

async function send(target: LeaderTarget, url: string, init: RequestInit): Promise<Response> {
  try {
    return await target.fetch(url, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), [AUTH_HEADER]: target.token },
    });
  } catch (error) {
    throw new LeaderUnavailable(`The leader at ${base(target)} could not be reached.`, {
      cause: error,
    });
  }
}

/** A 4xx DAP problem, or null for anything to retry (5xx, a body that is not a problem). */
async function problemOf(response: Response): Promise<{ problem: string; detail: string } | null> {
  if (response.status < 400 || response.status >= 500) return null;
  try {
    const body = (await response.json()) as { type?: unknown; detail?: unknown };
    const type = typeof body.type === 'string' ? body.type : '';
    return {
      problem: type.startsWith(PROBLEM_PREFIX)
        ? type.slice(PROBLEM_PREFIX.length)
        : type || 'unknown',
      detail: typeof body.detail === 'string' ? body.detail : '',
    };
  } catch {
    return { problem: 'unknown', detail: `answered ${response.status} without a problem body` };
  }
}

function unavailable(target: LeaderTarget, what: string, status: number): LeaderUnavailable {
  return new LeaderUnavailable(`The leader at ${base(target)} answered ${status} to ${what}.`);
}

/**
 * Creates the collection job (or confirms it: the leader accepts the same id with the same
 * request again). Returns null when created, else the problem that refuses it for good.
 */
export async function createCollectionJob(
  target: LeaderTarget,
  jobId: string,
  batchInterval: Interval,
): Promise<{ problem: string; detail: string } | null> {
  const body = encode(collectionReqCodec, {
    batchInterval,
    aggregationParameter: new Uint8Array(0),
  });
  const response = await send(target, jobUrl(target, jobId), {
    method: 'PUT',
    headers: { 'content-type': MEDIA_TYPES.collectReq },
    body: Buffer.from(body),
  });
  if (response.status === 201 || response.status === 200) return null;
  const problem = await problemOf(response);
  if (problem === null) throw unavailable(target, 'a collection job', response.status);
  return problem;
}

export async function pollCollectionJob(target: LeaderTarget, jobId: string): Promise<PollResult> {
  const response = await send(target, jobUrl(target, jobId), { method: 'POST' });
  if (response.status === 202) return { kind: 'processing' };
  if (response.status === 200) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    try {
      return { kind: 'collection', collection: decode(collectionCodec, bytes, 'Collection') };
    } catch (error) {
      throw new LeaderUnavailable(`The leader's Collection did not decode.`, { cause: error });
    }
  }
  const problem = await problemOf(response);
  if (problem === null) throw unavailable(target, 'a poll', response.status);
  return { kind: 'problem', ...problem };
}

const contributionsPageSchema = z.strictObject({
  contributions: z.array(
    z.strictObject({ member: z.string().regex(/^0x[0-9a-fA-F]{40}$/), epoch: z.number().int() }),
  ),
  next: z.string().nullable(),
});
export type ContributionsPage = z.infer<typeof contributionsPageSchema>;

/** One page of contributions of epochs starting in [from, to), after the cursor `after`. */
export async function contributionsPage(
  target: LeaderTarget,
  range: { readonly from: number; readonly to: number; readonly after?: string | null },
): Promise<ContributionsPage> {
  const query = new URLSearchParams({ from: String(range.from), to: String(range.to) });
  if (range.after) query.set('after', range.after);
  const url = `${base(target)}/internal/tasks/${target.taskId}/contributions?${query.toString()}`;
  const response = await send(target, url, { method: 'GET' });
  if (response.status !== 200) throw unavailable(target, 'a contributions read', response.status);
  const parsed = contributionsPageSchema.safeParse(await response.json().catch(() => null));
  if (!parsed.success) {
    throw new LeaderUnavailable(`The leader's contributions page is not in the expected shape.`);
  }
  return parsed.data;
}
