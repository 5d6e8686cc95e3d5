/**
 * The admin overview's reads: GET /v1/admin/stats (admin session) and the public validator
 * status (GET /v1/validator/status), whose absence (404) on older unions is an answer, not an
 * error. Shapes as in docs/union-api.md.
 */
import type {
  AmountPoint,
  AdminStats as WireAdminStats,
  CommitView,
  RootState,
  ValidatorRun,
  ValidatorStatusAnswer,
} from '../../extension/protocol/union-stats.ts';
import { api, ApiError } from './client.ts';
import type { MemberStatus } from './types.ts';

export type { AmountPoint, CommitView, RootState, ValidatorRun };
/** GET /v1/admin/stats (docs/union-api.md). */
export type AdminStats = WireAdminStats<MemberStatus>;

export function loadStats(): Promise<AdminStats> {
  return api<AdminStats>('/v1/admin/stats');
}

/** `unavailable`: this union has no validator status endpoint (404). */
export type ValidatorStatus =
  { kind: 'unavailable' } | { kind: 'status'; lastRun: ValidatorRun | null };

export async function loadValidatorStatus(): Promise<ValidatorStatus> {
  try {
    const answer = await api<ValidatorStatusAnswer>('/v1/validator/status');
    return { kind: 'status', lastRun: answer.lastRun };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return { kind: 'unavailable' };
    throw error;
  }
}
