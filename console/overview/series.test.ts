import { describe, expect, it } from 'vitest';

import type { CommitView } from '../api/stats.ts';
import { commitSeries, contributorSeries, moneySeries, toUnits } from './series.ts';

const commit = (
  blockNumber: number,
  createdAt: string,
  state: CommitView['state'],
): CommitView => ({
  blockNumber,
  root: '0x00',
  state,
  createdAt,
  usableAt: null,
  txHash: null,
  adminTotal: '0',
  totalRevenue: '0',
});

describe('overview series', () => {
  it('converts base units to token units without overflowing for 18-decimal tokens', () => {
    expect(toUnits(1_500_000_000_000_000_000n, 18)).toBe(1.5);
    expect(toUnits(10n ** 30n, 18)).toBe(1e12);
    expect(toUnits(1234n, 2)).toBe(12.34);
  });

  it('accumulates revenue and payouts on one shared, sorted time axis', () => {
    const data = moneySeries(
      [
        { at: 7200, amount: '300' },
        { at: 0, amount: '100' },
      ],
      [{ at: 3600, amount: '50' }],
      0,
    )!;
    expect(data.times).toEqual([0, 3600, 7200]);
    expect(data.series[0]!.values).toEqual([100, 100, 400]);
    expect(data.series[1]!.values).toEqual([0, 50, 50]);
    expect(moneySeries([], [], 18)).toBeNull();
  });

  it('gives every category a value in every epoch (zero where nobody contributed)', () => {
    const data = contributorSeries(
      [
        { epochStart: 100, category: 2, members: 3 },
        { epochStart: 200, category: 1, members: 4 },
      ],
      (id) => `cat ${id}`,
    )!;
    expect(data.times).toEqual([100, 200]);
    expect(data.series.map((s) => [s.label, s.values])).toEqual([
      ['cat 1', [0, 4]],
      ['cat 2', [3, 0]],
    ]);
  });

  it('plots commits by state with strictly increasing times', () => {
    const at = '2026-12-05T08:00:00.000Z';
    const data = commitSeries([commit(12, at, 'frozen'), commit(10, at, 'usable')])!;
    expect(data.times[1]! - data.times[0]!).toBe(1);
    expect(data.series.map((s) => [s.label, s.values])).toEqual([
      ['frozen', [null, 12]],
      ['usable', [10, null]],
    ]);
  });
});
