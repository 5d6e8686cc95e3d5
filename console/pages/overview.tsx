/**
 * Overview: members, reports and money (GET /v1/admin/stats), the latest root's freeze status
 * with the revoke escape hatch, the validator's last check, the live config, and charts —
 * membership (membership log), revenue and payouts, contributors and reports per epoch, commits.
 */
import { membershipLog } from '../api/admin.ts';
import { loadStats } from '../api/stats.ts';
import type { AdminContext } from '../app.tsx';
import { ChartCard, StatsCharts } from '../overview/chart-cards.tsx';
import { MemberFigures, MoneyFigures } from '../overview/figures.tsx';
import { RootPanel } from '../overview/root-panel.tsx';
import { membershipSeries } from '../overview/series.ts';
import { ValidatorPanel } from '../overview/validator-panel.tsx';
import { Empty, ErrorNote, Loading } from '../ui/states.tsx';
import { useLoad } from '../ui/use-load.ts';

export function Overview({ ctx }: { ctx: AdminContext }) {
  const { union, wallet } = ctx;
  const stats = useLoad(loadStats);
  const log = useLoad(async () => membershipSeries(await membershipLog()));
  const config = union.config?.config;
  const labels = new Map(config?.categories.map((c) => [c.id, c.label]) ?? []);
  const labelOf = (id: number) => labels.get(id) ?? `category ${id}`;
  const s = stats.data;
  const statsState = (
    <>
      {stats.loading && !s && <Loading what="the union’s figures" />}
      {stats.error !== undefined && <ErrorNote error={stats.error} onRetry={stats.reload} />}
    </>
  );

  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">Overview</h1>
      <div class="grid">
        <article class="card" aria-labelledby="members-by-status">
          <h2 id="members-by-status">Members and reports</h2>
          {statsState}
          {s && <MemberFigures stats={s} />}
        </article>
        <article class="card" aria-labelledby="money-title">
          <h2 id="money-title">Revenue</h2>
          {statsState}
          {s && <MoneyFigures stats={s} />}
        </article>
      </div>
      <div class="grid">
        <article class="card" aria-labelledby="roots-title">
          <h2 id="roots-title">Roots</h2>
          {statsState}
          {s && (
            <RootPanel
              stats={s}
              wallet={wallet}
              dataUnion={union.contracts.dataUnion}
              onRevoked={stats.reload}
            />
          )}
        </article>
        <ValidatorPanel frozenRoot={s?.latestRoot?.state === 'frozen'} />
      </div>
      <div class="grid">
        <ChartCard
          id="membership-title"
          title="Membership"
          loaded={log}
          what="the membership log"
          data={log.data}
          empty="Nobody has joined yet."
        />
        <article class="card" aria-labelledby="config-summary">
          <h2 id="config-summary">Live config</h2>
          {config ? (
            <dl class="stats">
              <div>
                <dt>version</dt>
                <dd>{config.version}</dd>
              </div>
              <div>
                <dt>categories</dt>
                <dd>{config.categories.length}</dd>
              </div>
              <div>
                <dt>epoch</dt>
                <dd>{config.epochSeconds / 3600} h</dd>
              </div>
              <div>
                <dt>ε</dt>
                <dd>{config.privacy.epsilon}</dd>
              </div>
            </dl>
          ) : (
            <Empty>
              No config is published yet: members cannot report until you publish one in{' '}
              <a href="#/config">Category config</a>.
            </Empty>
          )}
          <p class="muted small">
            Join policy:{' '}
            {union.joinPolicy.autoJoin
              ? 'app secrets join at once'
              : 'every join waits for approval'}
            .
          </p>
        </article>
      </div>
      <StatsCharts stats={stats} labelOf={labelOf} />
    </section>
  );
}
