/**
 * The overview's charts, each in its own card with loading, empty and error states; the chart
 * code itself arrives lazily (LazyChart has its own loading and error state).
 */
import type { ComponentChildren } from 'preact';

import type { AdminStats } from '../api/stats.ts';
import type { Loaded } from '../ui/use-load.ts';
import { LazyChart } from '../ui/lazy-chart.tsx';
import { Empty, ErrorNote, Loading } from '../ui/states.tsx';
import {
  commitSeries,
  contributorSeries,
  moneySeries,
  reportSeries,
  type ChartData,
} from './series.ts';

interface ChartCardProps {
  id: string;
  title: string;
  loaded: Loaded<unknown>;
  what: string;
  data: ChartData | null | undefined;
  empty: ComponentChildren;
  kind?: 'lines' | 'bars' | 'points';
  valueAxis?: string;
  children?: ComponentChildren;
}

export function ChartCard({
  id,
  title,
  loaded,
  what,
  data,
  empty,
  kind,
  valueAxis,
  children,
}: ChartCardProps) {
  return (
    <article class="card" aria-labelledby={id} data-testid={id}>
      <h2 id={id}>{title}</h2>
      {loaded.loading && loaded.data === undefined && <Loading what={what} />}
      {loaded.error !== undefined && <ErrorNote error={loaded.error} onRetry={loaded.reload} />}
      {loaded.data !== undefined && data === null && <Empty>{empty}</Empty>}
      {data && (
        <LazyChart
          title={title}
          times={data.times}
          series={data.series}
          {...(kind ? { kind } : {})}
          {...(valueAxis ? { valueAxis } : {})}
        />
      )}
      {children}
    </article>
  );
}

export function StatsCharts({
  stats,
  labelOf,
}: {
  stats: Loaded<AdminStats>;
  labelOf: (category: number) => string;
}) {
  const s = stats.data;
  const decimals = s?.token?.decimals ?? 0;
  return (
    <>
      <ChartCard
        id="money-chart"
        title="Revenue and payouts"
        loaded={stats}
        what="revenue"
        data={s && moneySeries(s.revenue.overTime, s.payouts.overTime, decimals)}
        empty="No revenue yet: it appears once a researcher buys a subscription."
        valueAxis={s?.token ? s.token.symbol : 'base units'}
      />
      <div class="grid">
        <ChartCard
          id="contributors-chart"
          title="Contributors per category"
          loaded={stats}
          what="contributions"
          data={s && contributorSeries(s.contributors, labelOf)}
          empty="No accepted reports yet."
          valueAxis="members"
        />
        <ChartCard
          id="reports-chart"
          title="Reports per epoch"
          loaded={stats}
          what="reports"
          data={s && reportSeries(s.reports.perEpoch)}
          empty="No accepted reports yet."
          kind="bars"
          valueAxis="reports"
        />
      </div>
      <ChartCard
        id="commits-chart"
        title="Commits"
        loaded={stats}
        what="commits"
        data={s && commitSeries(s.commits)}
        empty="No root committed yet."
        kind="points"
        valueAxis="block"
      />
    </>
  );
}
