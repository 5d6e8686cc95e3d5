/** The overview's figures: members, activity, reports, and the money (token units, exact). */
import type { AdminStats } from '../api/stats.ts';
import { formatPrice, type TokenDetails } from '../api/product.ts';
import { memberStatusList } from '../api/types.ts';
import { formatRelative } from '../ui/time.ts';
import { When } from '../ui/when.tsx';

export function tokenOf(stats: AdminStats): TokenDetails | null {
  return stats.token ? { symbol: stats.token.symbol, decimals: stats.token.decimals } : null;
}

const days = (seconds: number) => `${Math.round(seconds / 86_400)} days`;

export function MemberFigures({ stats }: { stats: AdminStats }) {
  const latest = stats.reports.perEpoch.at(-1);
  return (
    <>
      <dl class="stats" data-testid="status-counts">
        {memberStatusList.map((status) => (
          <div key={status}>
            <dt>{status}</dt>
            <dd data-testid={`count-${status}`}>{stats.members.byStatus[status]}</dd>
          </div>
        ))}
      </dl>
      <dl class="stats figures">
        <div>
          <dt
            title={`Members who share revenue now, as the accounting counts them: active from the end of the day (activity batch) their latest report arrived in, for ${days(stats.members.activityWindowSeconds)}.`}
          >
            earning now (active in the accounting)
          </dt>
          <dd data-testid="figure-active">{stats.members.active}</dd>
        </div>
        <div>
          <dt>reports, latest epoch</dt>
          <dd data-testid="figure-latest-epoch-reports">{latest?.reports ?? 0}</dd>
        </div>
        <div>
          <dt>reports, all time</dt>
          <dd data-testid="figure-reports">{stats.reports.total}</dd>
        </div>
      </dl>
      {latest && (
        <p class="muted small">
          Latest epoch with reports began{' '}
          <When iso={new Date(latest.epochStart * 1000).toISOString()} />.
        </p>
      )}
    </>
  );
}

export function MoneyFigures({ stats }: { stats: AdminStats }) {
  const token = tokenOf(stats);
  const amount = (baseUnits: string) => formatPrice(BigInt(baseUnits), token);
  return (
    <>
      <dl class="stats money">
        <div>
          <dt>revenue received</dt>
          <dd data-testid="figure-revenue" title={`${stats.revenue.total} base units`}>
            {amount(stats.revenue.total)}
          </dd>
        </div>
        <div>
          <dt>paid out</dt>
          <dd data-testid="figure-paid-out" title={`${stats.payouts.total} base units`}>
            {amount(stats.payouts.total)}
          </dd>
        </div>
        <div>
          <dt>admin fee earned</dt>
          <dd data-testid="figure-admin-fee" title={`${stats.adminFee.total} base units`}>
            {amount(stats.adminFee.total)}
          </dd>
        </div>
      </dl>
      <p class="muted small">
        {stats.adminFee.blockNumber === null
          ? 'The admin fee counts from the first committed root.'
          : `Admin fee as of the root committed at block ${stats.adminFee.blockNumber}.`}{' '}
        {token ? '' : 'Amounts are in token base units: the union runs without a chain.'}
      </p>
    </>
  );
}

export function NextCommit({ stats }: { stats: AdminStats }) {
  if (!stats.nextCommitAt) {
    return <span class="muted">no committer (the union runs without a chain)</span>;
  }
  const seconds = Math.floor(Date.parse(stats.nextCommitAt) / 1000);
  return (
    <span data-testid="figure-next-commit">
      <When iso={stats.nextCommitAt} />{' '}
      <span class="muted">
        ({formatRelative(seconds, Math.floor(Date.now() / 1000))}, if anything changed)
      </span>
    </span>
  );
}
