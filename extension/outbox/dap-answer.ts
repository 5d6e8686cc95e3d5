/**
 * What the leader's answer to a DAP upload (`PUT {leader}/tasks/{task}/reports`) means for the
 * outbox. DAP-09 errors are problem details (`application/problem+json`, `type`
 * `urn:ietf:params:ppm:dap:error:<name>`); the same bytes are always resent, never a new sharding:
 *
 * - 2xx: stored (a byte-identical retry of a stored report is also 200).
 * - `reportRejected` (too old, in a collected batch, this member's epoch already taken, report id
 *   taken, not a member) and `invalidMessage`: final. The same bytes would be refused again.
 * - `outdatedConfig`: the leader does not hold the HPKE key the report was sealed to. The keys are
 *   pinned by the admin's signature (the helper's always, the leader's when the config names it),
 *   so the device does not take a new key from the leader and reseal: the answer means the leader
 *   retired a key it published in a config still in force — an operator fault that a config or
 *   key fix repairs. The report is retried with the usual backoff (same bytes) and ends once the
 *   leader accepts it or refuses it as too old (`reportRejected`).
 * - `reportTooEarly` (the device clock runs ahead of the leader's), `unrecognizedTask` (the leader
 *   does not run the signed task yet), 408, 429, 5xx, network errors: retried with backoff.
 * - any other 4xx: final, recorded with the leader's answer.
 */
import { z } from 'zod';

export const DAP_ERROR_PREFIX = 'urn:ietf:params:ppm:dap:error:';

const problemSchema = z.looseObject({ type: z.string(), detail: z.string().optional() });

export interface DapProblem {
  /** The short type, e.g. `reportRejected`. */
  type: string;
  detail: string | null;
}

/** A DAP problem-details body, or null when `text` is not one. */
export function dapProblem(text: string): DapProblem | null {
  try {
    const parsed = problemSchema.safeParse(JSON.parse(text));
    if (!parsed.success || !parsed.data.type.startsWith(DAP_ERROR_PREFIX)) return null;
    return {
      type: parsed.data.type.slice(DAP_ERROR_PREFIX.length),
      detail: parsed.data.detail ?? null,
    };
  } catch {
    return null;
  }
}

export type DapAnswer =
  { kind: 'stored' } | { kind: 'rejected' } | { kind: 'retry'; code: string; message: string };

const RETRIED: Record<string, { code: string; message: string }> = {
  outdatedConfig: {
    code: 'DAP_OUTDATED_CONFIG',
    message: 'The leader lacks the key the signed config names; the same report is sent later.',
  },
  reportTooEarly: {
    code: 'DAP_REPORT_TOO_EARLY',
    message: 'The leader says the report is early (is this clock ahead?); it is sent later.',
  },
  unrecognizedTask: {
    code: 'DAP_UNKNOWN_TASK',
    message: 'The leader does not run the signed config’s task yet; the report is sent later.',
  },
};

const FINAL = new Set(['reportRejected', 'invalidMessage']);

/** Classifies the leader's answer to one upload. */
export function classifyDapAnswer(status: number, text: string): DapAnswer {
  if (status >= 200 && status < 300) return { kind: 'stored' };
  const problem = dapProblem(text);
  if (problem && FINAL.has(problem.type)) return { kind: 'rejected' };
  const retried = problem ? RETRIED[problem.type] : undefined;
  if (retried) {
    const detail = problem?.detail ? ` (${problem.detail})` : '';
    return { kind: 'retry', code: retried.code, message: `${retried.message}${detail}` };
  }
  if (status >= 400 && status < 500 && status !== 429 && status !== 408) {
    return { kind: 'rejected' };
  }
  return { kind: 'retry', code: `HTTP_${status}`, message: `The leader answered ${status}.` };
}
