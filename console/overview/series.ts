/**
 * Plain data → chart series for the overview (no DOM, no uPlot): membership from the log,
 * cumulative revenue and payouts, contributors per category per epoch, reports per epoch and the
 * commits timeline. Every builder returns null when there is nothing to draw.
 */
import type { AdminStats, AmountPoint, RootState } from '../api/stats.ts';
import type { LogEntry } from '../api/types.ts';
import type { Series } from '../ui/chart.tsx';

export interface ChartData {
  times: number[];
  series: Series[];
}

const palette = ['#2563eb', '#047857', '#b45309', '#7c3aed', '#be185d', '#0e7490', '#4d7c0f'];

/**
 * One bucket draws a single dot on a meaningless axis: start every series from zero one bucket
 * earlier (in place).
 */
function startFromZero(times: number[], bucket: number, values: number[][]): void {
  if (times.length !== 1) return;
  times.unshift(times[0]! - bucket);
  for (const v of values) v.unshift(0);
}

/** Cumulative joined / left and active members, bucketed by hour (short spans) or day. */
export function membershipSeries(entries: readonly LogEntry[]): ChartData | null {
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
  startFromZero(times, bucket, [joined, left, active]);
  return {
    times,
    series: [
      { label: 'joined', color: '#2563eb', values: joined },
      { label: 'left or removed', color: '#b91c1c', values: left },
      { label: 'active', color: '#047857', values: active },
    ],
  };
}

/**
 * Base units → token units as a float, for plotting only (figures are formatted exactly with
 * formatAmount): six fraction digits survive, more would be below a pixel anyway.
 */
export function toUnits(baseUnits: bigint, decimals: number): number {
  const cut = Math.max(0, decimals - 6);
  return Number(baseUnits / 10n ** BigInt(cut)) / 10 ** (decimals - cut);
}

/** Cumulative revenue received and paid out, on one time axis (hourly buckets). */
export function moneySeries(
  revenue: readonly AmountPoint[],
  payouts: readonly AmountPoint[],
  decimals: number,
): ChartData | null {
  if (revenue.length === 0 && payouts.length === 0) return null;
  const times = [...new Set([...revenue, ...payouts].map((p) => p.at))].sort((a, b) => a - b);
  const cumulative = (points: readonly AmountPoint[]) => {
    const byTime = new Map(points.map((p) => [p.at, BigInt(p.amount)]));
    let total = 0n;
    return times.map((t) => {
      total += byTime.get(t) ?? 0n;
      return toUnits(total, decimals);
    });
  };
  const received = cumulative(revenue);
  const paid = cumulative(payouts);
  startFromZero(times, 3600, [received, paid]);
  return {
    times,
    series: [
      { label: 'revenue received', color: '#047857', values: received },
      { label: 'paid out', color: '#b45309', values: paid },
    ],
  };
}

/** Distinct contributing members per category (one series each) per epoch. */
export function contributorSeries(
  rows: AdminStats['contributors'],
  labelOf: (category: number) => string,
): ChartData | null {
  if (rows.length === 0) return null;
  const times = [...new Set(rows.map((r) => r.epochStart))].sort((a, b) => a - b);
  const categories = [...new Set(rows.map((r) => r.category))].sort((a, b) => a - b);
  const at = new Map(rows.map((r) => [`${r.epochStart}:${r.category}`, r.members]));
  return {
    times,
    series: categories.map((category, i) => ({
      label: labelOf(category),
      color: palette[i % palette.length]!,
      values: times.map((t) => at.get(`${t}:${category}`) ?? 0),
    })),
  };
}

export function reportSeries(perEpoch: AdminStats['reports']['perEpoch']): ChartData | null {
  if (perEpoch.length === 0) return null;
  return {
    times: perEpoch.map((e) => e.epochStart),
    series: [{ label: 'reports', color: '#2563eb', values: perEpoch.map((e) => e.reports) }],
  };
}

export const rootStateColors: Record<RootState, string> = {
  committed: '#2563eb',
  frozen: '#b45309',
  usable: '#047857',
  revoked: '#b91c1c',
  pending: '#6b7280',
  failed: '#111827',
};

/** Each commit a point at its time and block number, one series per state present. */
export function commitSeries(commits: AdminStats['commits']): ChartData | null {
  if (commits.length === 0) return null;
  const sorted = [...commits].sort(
    (a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.blockNumber - b.blockNumber,
  );
  const times = sorted.map((c) => Math.floor(Date.parse(c.createdAt) / 1000));
  // uPlot needs strictly increasing x: commits in the same second are spread by one second.
  for (let i = 1; i < times.length; i++) {
    if (times[i]! <= times[i - 1]!) times[i] = times[i - 1]! + 1;
  }
  const states = (Object.keys(rootStateColors) as RootState[]).filter((s) =>
    sorted.some((c) => c.state === s),
  );
  return {
    times,
    series: states.map((state) => ({
      label: state,
      color: rootStateColors[state],
      values: sorted.map((c) => (c.state === state ? c.blockNumber : null)),
    })),
  };
}
