/**
 * The admin overview's reads: GET /v1/admin/stats (admin session) and the public validator
 * status (GET /v1/validator/status), whose absence (404) on older unions is an answer, not an
 * error. Shapes as in docs/union-api.md.
 */
import { api, ApiError } from './client.ts';
import type { MemberStatus } from './types.ts';

export type RootState = 'pending' | 'failed' | 'committed' | 'frozen' | 'usable' | 'revoked';

export interface CommitView {
  blockNumber: number;
  root: string;
  state: RootState;
  createdAt: string;
  usableAt: string | null;
  txHash: string | null;
  adminTotal: string;
  totalRevenue: string;
}

export interface AmountPoint {
  /** unix seconds (start of the hour) */
  at: number;
  /** base units, decimal string */
  amount: string;
}

export interface AdminStats {
  generatedAt: string;
  members: {
    byStatus: Record<MemberStatus, number>;
    active: number;
    activityWindowSeconds: number;
  };
  reports: { total: number; perEpoch: { epochStart: number; reports: number }[] };
  contributors: { epochStart: number; category: number; members: number }[];
  revenue: { total: string; overTime: AmountPoint[] };
  payouts: { total: string; overTime: AmountPoint[] };
  adminFee: { total: string; blockNumber: number | null };
  latestRoot: CommitView | null;
  nextCommitAt: string | null;
  commits: CommitView[];
  token: { address: string; symbol: string; decimals: number } | null;
}

export function loadStats(): Promise<AdminStats> {
  return api<AdminStats>('/v1/admin/stats');
}

export interface ValidatorRun {
  blockNumber: number;
  root: string;
  ok: boolean;
  problem: string | null;
  checkedAt: string;
  commitsChecked: number;
}

/** `unavailable`: this union has no validator status endpoint (404). */
export type ValidatorStatus =
  { kind: 'unavailable' } | { kind: 'status'; lastRun: ValidatorRun | null };

export async function loadValidatorStatus(): Promise<ValidatorStatus> {
  try {
    const answer = await api<{ lastRun: ValidatorRun | null }>('/v1/validator/status');
    return { kind: 'status', lastRun: answer.lastRun };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return { kind: 'unavailable' };
    throw error;
  }
}
