/**
 * The one way the extension reaches the union: `unionFetch(ctx)` is the network for every union
 * call (join, leave, member status, config, earnings, withdrawal, reports — and, under an
 * aggregation block, the DAP leader's upload and HPKE config), and it logs each
 * request — method, path, time, exact body, answer status — in the request log the member sees
 * in "What was sent" (`outbox/request-log.ts`). Nothing else in `extension/` calls
 * `deps.fetch` (a test checks). Also here: join, leave and member status, whose answers are
 * validated loosely — the status is all the extension relies on.
 */
import { z } from 'zod';

import { logAnswer, logRequest } from '../outbox/request-log.ts';
import { CrowdsellError } from '../protocol/errors.ts';
import { joinStatus } from '../protocol/message-views.ts';
import type { LeaveBody } from '../protocol/leave.ts';
import type { JoinBody } from '../protocol/wire.ts';
import { unionError } from '../outbox/outbox.ts';
import type { JoinStatus } from '../storage/schema.ts';
import type { Ctx } from './context.ts';

const TIMEOUT_MS = 15_000;
/** `GET /v1/members/:address` answers `{status, …}`; `POST /v1/join` and `/v1/leave` `{member: {status, …}}`. */
const directAnswer = z.looseObject({ status: joinStatus });
const nestedAnswer = z.looseObject({ member: directAnswer });

function requestUrl(input: RequestInfo | URL): string {
  if (typeof input === 'string') return input;
  return input instanceof URL ? input.href : input.url;
}

/** The path and query of a union URL, as the log shows it (the union's address is the build's). */
function unionPath(url: string, unionUrl: string): string {
  if (url.startsWith(unionUrl)) return url.slice(unionUrl.length) || '/';
  return url;
}

function loggedBody(body: BodyInit | null | undefined): string | null {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return `(${body.length} bytes: a DAP report)`;
  return '(binary)';
}

/** The network for union calls: `ctx.deps.fetch`, every request logged before it leaves. */
export function unionFetch(ctx: Ctx): typeof fetch {
  return async (input, init) => {
    const body = init?.body;
    const id = await logRequest(ctx.db, {
      at: ctx.deps.now(),
      method: (init?.method ?? 'GET').toUpperCase(),
      path: unionPath(requestUrl(input), ctx.deps.settings.unionUrl),
      // Union calls send JSON text; a DAP report's bytes are shown with the report itself.
      body: loggedBody(body),
    });
    try {
      const response = await ctx.deps.fetch(input, init);
      await logAnswer(ctx.db, id, {
        status: response.status,
        answeredAt: ctx.deps.now(),
        error: null,
      });
      return response;
    } catch (error) {
      await logAnswer(ctx.db, id, {
        status: null,
        answeredAt: null,
        error: error instanceof Error ? error.message : 'The union could not be reached.',
      });
      throw error;
    }
  };
}

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
