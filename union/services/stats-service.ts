/**
 * The admin overview's figures (GET /v1/admin/stats), computed from the existing tables: revenue
 * transfers, withdrawals and snapshots; for members from the counters triggers keep (migration
 * 0012) and for reports from the per-epoch summaries the report insert maintains (migration
 * 0009), so a load reads neither the members nor the reports themselves (issue 19). Counts
 * only — no member identity leaves here. What only the chain knows (when a root becomes usable, whether it was revoked, the token's
 * symbol) comes through a small `RootReader`, absent when the union runs without a chain.
 */
import type {
  AdminStats as WireAdminStats,
  CommitView,
  RootState,
} from '../../extension/protocol/union-stats.ts';
import type { Queryable } from '../db/db.ts';
import type { MemberStatus } from '../domain/membership-rules.ts';
import { memberCountsRepo } from '../repo/member-counts-repo.ts';

/** What the chain says about one committed root. */
export interface CommitOnChain {
  usableAt: number;
  revoked: boolean;
}

export interface RootReader {
  commitOf(blockNumber: number): Promise<CommitOnChain>;
  /** Seconds: the newest block's timestamp (a local chain may lag the wall clock). */
  now(): Promise<number>;
  token(): Promise<{ address: string; symbol: string; decimals: number }>;
}

export interface StatsOptions {
  activityWindowSeconds: number;
  /** Null without a chain (no committer runs). */
  commitPeriodSeconds: number | null;
  now: () => number;
}

/** GET /v1/admin/stats, with this union's member statuses. */
export type AdminStats = WireAdminStats<MemberStatus>;

/** Recent epochs the per-epoch figures cover, and commits the timeline shows. */
export const RECENT_EPOCHS = 30;
export const RECENT_COMMITS = 50;
/** Revenue and payouts are summed per hour: enough detail, bounded size (8,760 points a year). */
export const AMOUNT_BUCKET_SECONDS = 3600;

interface SnapshotStatsRow {
  blockNumber: number;
  root: string;
  status: 'pending' | 'committed' | 'failed';
  txHash: string | null;
  adminTotal: string;
  totalRevenue: string;
  createdAt: number;
}

const bucketed = (table: string, time: string, where = '') =>
  `SELECT (floor(extract(epoch FROM ${time}) / ${AMOUNT_BUCKET_SECONDS}) * ${AMOUNT_BUCKET_SECONDS})::float8 AS at,
     sum(amount::numeric)::text AS amount
   FROM ${table} ${where} GROUP BY 1 ORDER BY 1`;

/** numeric sums may print as "12.0" on some drivers; amounts are whole base units. */
const wholeUnits = (text: string | null | undefined): string =>
  text ? BigInt(text.replace(/\.0*$/, '')).toString() : '0';

export class StatsService {
  /** Usable and revoked are final on chain: those answers are kept, the rest asked again. */
  private readonly settled = new Map<number, CommitOnChain>();

  constructor(
    private readonly db: Queryable,
    private readonly options: StatsOptions,
    private readonly chain: RootReader | null,
  ) {}

  async stats(): Promise<AdminStats> {
    const now = this.options.now();
    // Active as the accounting counts it (membership-changes.ts): from `active_from`, the end
    // of the activity batch the latest report arrived in, until the activity window has passed.
    const activeSince = new Date(now - this.options.activityWindowSeconds * 1000);
    const [byStatus, active, reports, perEpoch, contributors, revenue, payouts, snapshots] =
      await Promise.all([
        memberCountsRepo.byStatus(this.db),
        memberCountsRepo.activeBetween(this.db, activeSince, new Date(now)),
        this.db.query<{ n: number }>(
          'SELECT coalesce(sum(reports), 0)::float8 AS n FROM report_epoch_counts',
        ),
        this.db.query<{ epochStart: number; reports: number }>(
          `SELECT epoch_start::float8 AS "epochStart", sum(reports)::int AS reports
           FROM report_epoch_counts GROUP BY epoch_start ORDER BY epoch_start DESC LIMIT $1`,
          [RECENT_EPOCHS],
        ),
        this.contributors(),
        this.db.query<{ at: number; amount: string }>(
          bucketed('revenue_transfers', 'processed_at'),
        ),
        // Only payouts the chain has mined: a pending relay may still fail.
        this.db.query<{ at: number; amount: string }>(
          bucketed('withdrawals', 'updated_at', `WHERE status IN ('mined', 'confirmed')`),
        ),
        this.db.query<SnapshotStatsRow>(
          `SELECT block_number::float8 AS "blockNumber", root, status, tx_hash AS "txHash",
             admin_total AS "adminTotal", total_revenue AS "totalRevenue",
             extract(epoch FROM created_at)::float8 AS "createdAt"
           FROM monoplasma_snapshots ORDER BY block_number DESC LIMIT $1`,
          [RECENT_COMMITS],
        ),
      ]);

    const commits = await this.commitViews(snapshots.rows);
    const latestCommitted = snapshots.rows.find((s) => s.status === 'committed') ?? null;
    const latestRoot = commits.find((c) => c.state !== 'failed') ?? null;
    const period = this.options.commitPeriodSeconds;
    const lastCommitAt = latestCommitted?.createdAt ?? null;
    const revenueOverTime = revenue.rows.map((r) => ({ at: r.at, amount: wholeUnits(r.amount) }));
    const payoutsOverTime = payouts.rows.map((r) => ({ at: r.at, amount: wholeUnits(r.amount) }));
    const sum = (rows: { amount: string }[]) =>
      rows.reduce((total, r) => total + BigInt(r.amount), 0n).toString();

    return {
      generatedAt: new Date(now).toISOString(),
      members: {
        byStatus,
        active,
        activityWindowSeconds: this.options.activityWindowSeconds,
      },
      reports: { total: reports.rows[0]?.n ?? 0, perEpoch: perEpoch.rows.reverse() },
      contributors,
      revenue: { total: sum(revenueOverTime), overTime: revenueOverTime },
      payouts: { total: sum(payoutsOverTime), overTime: payoutsOverTime },
      adminFee: {
        total: latestCommitted?.adminTotal ?? '0',
        blockNumber: latestCommitted?.blockNumber ?? null,
      },
      latestRoot,
      // The committer ticks once per period and commits only when something changed, so this is
      // the earliest time of the next root, not a promise of one.
      nextCommitAt:
        period === null
          ? null
          : new Date(Math.max(now, ((lastCommitAt ?? now / 1000) + period) * 1000)).toISOString(),
      commits: commits.reverse(),
      token: this.chain ? await this.chain.token().catch(() => null) : null,
    };
  }

  /**
   * Distinct members per (epoch, category) over the recent epochs, from accepted reports (their
   * summary: a member sends one report per epoch, so the shards add up to distinct members).
   */
  private async contributors(): Promise<AdminStats['contributors']> {
    const { rows } = await this.db.query<{ epochStart: number; category: number; members: number }>(
      `WITH recent AS (
         SELECT DISTINCT epoch_start FROM report_epoch_counts ORDER BY epoch_start DESC LIMIT $1
       )
       SELECT c.epoch_start::float8 AS "epochStart", c.category, sum(c.members)::int AS members
       FROM report_epoch_contributors c JOIN recent USING (epoch_start)
       GROUP BY 1, 2 ORDER BY 1, 2`,
      [RECENT_EPOCHS],
    );
    return rows;
  }

  private async commitViews(rows: SnapshotStatsRow[]): Promise<CommitView[]> {
    const chainNow = this.chain ? await this.chainNow() : null;
    return Promise.all(
      rows.map(async (s): Promise<CommitView> => {
        const onChain =
          s.status === 'committed' && chainNow !== null
            ? await this.commitOf(s.blockNumber, chainNow)
            : null;
        let state: RootState = s.status;
        if (onChain && chainNow !== null) {
          state = onChain.revoked ? 'revoked' : onChain.usableAt <= chainNow ? 'usable' : 'frozen';
        }
        return {
          blockNumber: s.blockNumber,
          root: s.root,
          state,
          createdAt: new Date(s.createdAt * 1000).toISOString(),
          usableAt: onChain ? new Date(onChain.usableAt * 1000).toISOString() : null,
          txHash: s.txHash,
          adminTotal: s.adminTotal,
          totalRevenue: s.totalRevenue,
        };
      }),
    );
  }

  private async commitOf(block: number, chainNow: number): Promise<CommitOnChain | null> {
    const known = this.settled.get(block);
    if (known) return known;
    const answer = await this.chain?.commitOf(block).catch(() => null);
    if (!answer) return null;
    if (answer.revoked || answer.usableAt <= chainNow) this.settled.set(block, answer);
    return answer;
  }

  /** Same rule as withdrawals: the next block is at least the wall clock. */
  private async chainNow(): Promise<number | null> {
    try {
      return Math.max(await this.chain!.now(), Math.floor(this.options.now() / 1000));
    } catch {
      return null;
    }
  }
}
