import { describe, expect, it } from 'vitest';

import { aggregateEpoch } from './aggregate.ts';
import { reviseEpoch } from './revision.ts';
import { config } from './testing/fixtures.ts';
import { memberAddress } from './testing/simulate.ts';
import type { AcceptedReport, EpochInput } from './types.ts';

const cats = [{ id: 289, key: 'shopping' }];
const v1 = config(1, { kThreshold: 3 }, cats);
const reports: AcceptedReport[] = [5, 7, 9, 11].map((visits, i) => ({
  member: memberAddress(i),
  configVersion: 1,
  counts: [{ category: 289, visits, activeSeconds: visits * 60 }],
}));
const input = (rs: AcceptedReport[], epochStart = 1_767_225_600): EpochInput => ({
  epochStart,
  epochSeconds: 86_400,
  reports: rs,
  configs: [v1],
  configInForce: 1,
});

describe('reviseEpoch', () => {
  const first = reviseEpoch(undefined, aggregateEpoch(input(reports.slice(0, 3))));

  it('publishes an epoch for the first time as revision 1', () => {
    expect(first.changed).toBe(true);
    expect(first.epoch.revision).toBe(1);
  });

  it('keeps the revision when the same reports are aggregated again, in any order', () => {
    const again = reviseEpoch(first.epoch, aggregateEpoch(input(reports.slice(0, 3).reverse())));
    expect(again.changed).toBe(false);
    expect(again.epoch).toBe(first.epoch);
  });

  it('bumps the revision when a late report changes a cell', () => {
    const late = reviseEpoch(first.epoch, aggregateEpoch(input(reports)));
    expect(late.changed).toBe(true);
    expect(late.epoch.revision).toBe(2);
    expect(late.epoch.cells[0]).toMatchObject({ suppressed: false, contributors: 4 });
    const lateAgain = reviseEpoch(late.epoch, aggregateEpoch(input(reports)));
    expect(lateAgain).toEqual({ epoch: late.epoch, changed: false });
  });

  it('bumps the revision when a cell falls below k and becomes suppressed', () => {
    const fewer = reviseEpoch(first.epoch, aggregateEpoch(input(reports.slice(0, 2))));
    expect(fewer.changed).toBe(true);
    expect(fewer.epoch.revision).toBe(2);
    expect(fewer.epoch.cells).toEqual([
      { suppressed: true, category: 289, categoryKey: 'shopping' },
    ]);
  });

  it('refuses to revise one epoch with another epoch’s aggregate', () => {
    expect(() => reviseEpoch(first.epoch, aggregateEpoch(input(reports, 1_767_312_000)))).toThrow(
      RangeError,
    );
  });
});
