/** Overview: members by status, the live config, and membership over time (membership log). */
import { listMembers, membershipLog } from '../api/admin.ts';
import { memberStatusList, type LogEntry, type UnionInfo } from '../api/types.ts';
import { Chart } from '../ui/chart.tsx';
import { Empty, ErrorNote, Loading } from '../ui/states.tsx';
import { useLoad } from '../ui/use-load.ts';

/** Cumulative joined / left and active members, bucketed by hour (short spans) or day. */
export function membershipSeries(entries: readonly LogEntry[]) {
  if (entries.length === 0) return null;
  const seconds = entries.map((e) => Math.floor(Date.parse(e.at) / 1000));
  const span = seconds[seconds.length - 1]! - seconds[0]!;
  const bucket = span < 3 * 86_400 ? 3600 : 86_400;
  const times: number[] = [];
  const joined: number[] = [];
  const left: number[] = [];
  const active: number[] = [];
  let j = 0;
  let l = 0;
  entries.forEach((entry, i) => {
    if (entry.type === 'join') j++;
    else if (entry.type === 'leave' || entry.type === 'remove') l++;
    const t = Math.floor(seconds[i]! / bucket) * bucket;
    if (times[times.length - 1] !== t) {
      times.push(t);
      joined.push(j);
      left.push(l);
      active.push(j - l);
    } else {
      joined[joined.length - 1] = j;
      left[left.length - 1] = l;
      active[active.length - 1] = j - l;
    }
  });
  if (times.length === 1) {
    // One bucket draws a single dot on a meaningless axis: start from zero one bucket earlier.
    times.unshift(times[0]! - bucket);
    joined.unshift(0);
    left.unshift(0);
    active.unshift(0);
  }
  return {
    times,
    series: [
      { label: 'joined', color: '#2563eb', values: joined },
      { label: 'left or removed', color: '#b91c1c', values: left },
      { label: 'active', color: '#047857', values: active },
    ],
  };
}

export function Overview({ union }: { union: UnionInfo }) {
  const members = useLoad(() => listMembers());
  const log = useLoad(async () => membershipSeries(await membershipLog()));
  const config = union.config?.config;

  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">Overview</h1>
      <div class="grid">
        <article class="card" aria-labelledby="members-by-status">
          <h2 id="members-by-status">Members by status</h2>
          {members.loading && !members.data && <Loading what="members" />}
          {members.error !== undefined && (
            <ErrorNote error={members.error} onRetry={members.reload} />
          )}
          {members.data && (
            <dl class="stats" data-testid="status-counts">
              {memberStatusList.map((status) => (
                <div key={status}>
                  <dt>{status}</dt>
                  <dd data-testid={`count-${status}`}>
                    {members.data!.filter((m) => m.status === status).length}
                  </dd>
                </div>
              ))}
            </dl>
          )}
        </article>
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
            . Report, revenue and payout totals are not offered by the union API yet.
          </p>
        </article>
      </div>
      <article class="card" aria-labelledby="membership-title">
        <h2 id="membership-title">Membership over time</h2>
        {log.loading && !log.data && <Loading what="the membership log" />}
        {log.error !== undefined && <ErrorNote error={log.error} onRetry={log.reload} />}
        {!log.loading && log.data === null && <Empty>Nobody has joined yet.</Empty>}
        {log.data && <Chart title="Membership" times={log.data.times} series={log.data.series} />}
      </article>
    </section>
  );
}
