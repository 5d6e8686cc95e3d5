/**
 * The member-facing union API the extension calls (besides config and reports): join and member
 * status. Answers are validated loosely — the status is all the extension relies on.
 */
import { z } from 'zod';

import { CrowdsellError } from '../protocol/errors.ts';
import { joinStatus } from '../protocol/message-views.ts';
import type { LeaveBody } from '../protocol/leave.ts';
import type { JoinBody } from '../protocol/wire.ts';
import { unionError } from '../outbox/outbox.ts';
import type { JoinStatus } from '../storage/schema.ts';

const TIMEOUT_MS = 15_000;
/** `GET /v1/members/:address` answers `{status, …}`; `POST /v1/join` and `/v1/leave` `{member: {status, …}}`. */
const directAnswer = z.looseObject({ status: joinStatus });
const nestedAnswer = z.looseObject({ member: directAnswer });

export async function send(
  fetcher: typeof fetch,
  url: string,
  init: RequestInit,
): Promise<Response> {
  try {
    return await fetcher(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    throw new CrowdsellError('UNION_UNREACHABLE', 'The union could not be reached.', {
      cause: error,
    });
  }
}

async function readStatus(response: Response): Promise<JoinStatus> {
  const text = await response.text();
  if (!response.ok) {
    const error = unionError(text);
    throw new CrowdsellError(
      error?.code ?? `HTTP_${response.status}`,
      error?.message ?? `The union answered ${response.status}.`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  const nested = nestedAnswer.safeParse(parsed);
  if (nested.success) return nested.data.member.status;
  const direct = directAnswer.safeParse(parsed);
  if (direct.success) return direct.data.status;
  throw new CrowdsellError('UNION_BAD_ANSWER', 'The union’s answer could not be understood.');
}

export async function postJoin(
  fetcher: typeof fetch,
  unionUrl: string,
  body: JoinBody,
): Promise<JoinStatus> {
  const response = await send(fetcher, `${unionUrl}/v1/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return readStatus(response);
}

export async function postLeave(
  fetcher: typeof fetch,
  unionUrl: string,
  body: LeaveBody,
): Promise<JoinStatus> {
  const response = await send(fetcher, `${unionUrl}/v1/leave`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return readStatus(response);
}

export async function getMemberStatus(
  fetcher: typeof fetch,
  unionUrl: string,
  member: string,
): Promise<JoinStatus> {
  const response = await send(fetcher, `${unionUrl}/v1/members/${member}`, {
    headers: { accept: 'application/json' },
  });
  if (response.status === 404) return 'not-joined';
  return readStatus(response);
}
