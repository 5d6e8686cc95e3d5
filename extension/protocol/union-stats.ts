/**
 * Shapes of the union's admin overview answers, shared by the union (which builds them) and the
 * console (which reads them): GET /v1/admin/stats and GET /v1/validator/status. Types only.
 * Amounts are base units as decimal strings; times are ISO strings or unix seconds as named.
 */

/**
 * committed: sent, not yet known to the chain reader (no chain); frozen: inside the freeze
 * period (revocable); usable: withdrawals may use it; revoked: the admin revoked it;
 * pending: the commit transaction is not confirmed yet; failed: the commit did not happen.
 */
export type RootState = 'pending' | 'failed' | 'committed' | 'frozen' | 'usable' | 'revoked';

export interface CommitView {
  blockNumber: number;
  root: string;
  state: RootState;
  createdAt: string;
  /** ISO time the root becomes (or became) usable; null when the chain is not known. */
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

/** `Status`: the union's member statuses (each side names them with its own type). */
export interface AdminStats<Status extends string = string> {
  generatedAt: string;
  members: {
    byStatus: Record<Status, number>;
    /**
     * Members the accounting counts active now (who share revenue): status active and
     * `active_from` — the end of the activity batch their latest report arrived in — within the
     * last `activityWindowSeconds`.
     */
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

/** The last check the union's own validator ran (GET /v1/validator/status). */
export interface ValidatorRun {
  blockNumber: number;
  root: string;
  ok: boolean;
  problem: string | null;
  checkedAt: string;
  commitsChecked: number;
}

export interface ValidatorStatusAnswer {
  lastRun: ValidatorRun | null;
}
