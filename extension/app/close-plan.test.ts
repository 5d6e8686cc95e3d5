import { describe, expect, it } from 'vitest';

import { planClose, type ClosePlanInput } from './close-plan.ts';

const DAY = 86_400;
const base: ClosePlanInput = {
  current: 10 * DAY,
  closedBefore: 10 * DAY,
  reportedBefore: 7 * DAY,
  stored: [],
  epochSeconds: DAY,
  consentEpochStart: 0,
  reporting: true,
  windowSeconds: 7 * DAY,
};
const starts = (input: ClosePlanInput) =>
  planClose(input).map((p) => [p.epochStart / DAY, p.action]);

describe('planning a close', () => {
  it('reports every ended epoch from where the last close got to, with or without tallies', () => {
    expect(starts({ ...base, stored: [{ epochStart: 8 * DAY, epochSeconds: DAY }] })).toEqual([
      [7, 'report'],
      [8, 'report'],
      [9, 'report'],
    ]);
  });

  it('completes an interrupted close: empty epochs come from reportedBefore, not the barrier', () => {
    // The barrier already moved to day 10, but only day 7 was queued before the worker died.
    expect(starts({ ...base, reportedBefore: 8 * DAY })).toEqual([
      [8, 'report'],
      [9, 'report'],
    ]);
  });

  it('never reports before consent nor beyond the window, and drops what is too old', () => {
    const old = { epochStart: 1 * DAY, epochSeconds: DAY };
    expect(
      starts({ ...base, reportedBefore: 0, consentEpochStart: 2 * DAY, stored: [old] }),
    ).toEqual([
      [1, 'drop'],
      [3, 'report'],
      [4, 'report'],
      [5, 'report'],
      [6, 'report'],
      [7, 'report'],
      [8, 'report'],
      [9, 'report'],
    ]);
  });

  it('drops stored tallies and makes no empty report when no category is on', () => {
    const stored = [{ epochStart: 9 * DAY, epochSeconds: DAY }];
    expect(starts({ ...base, reporting: false, stored })).toEqual([[9, 'drop']]);
  });

  it('leaves the running epoch alone', () => {
    const stored = [{ epochStart: 10 * DAY, epochSeconds: DAY }];
    expect(starts({ ...base, reportedBefore: 10 * DAY, stored })).toEqual([]);
  });
});
