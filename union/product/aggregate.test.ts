import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { noisyValueRange } from '../../extension/protocol/privacy.ts';
import { aggregateEpoch } from './aggregate.ts';
import { noiseVariance, Z_95 } from './cell-estimate.ts';
import { publishedCount } from './rounding.ts';
import { config } from './testing/fixtures.ts';
import { memberAddress } from './testing/simulate.ts';
import type { AcceptedReport, AggregationConfig, EpochInput, PublishedCell } from './types.ts';

const DAY = 86_400;
const EPOCH = 1_767_225_600;
const cats = [
  { id: 1, key: 'arts-entertainment' },
  { id: 243, key: 'news' },
  { id: 289, key: 'shopping' },
];

function report(
  member: number,
  configVersion: number,
  counts: [category: number, visits: number, seconds: number][],
): AcceptedReport {
  return {
    member: memberAddress(member),
    configVersion,
    counts: counts.map(([category, visits, activeSeconds]) => ({
      category,
      visits,
      activeSeconds,
    })),
  };
}

function epoch(
  reports: AcceptedReport[],
  configs: AggregationConfig[],
  configInForce = 1,
): EpochInput {
  return { epochStart: EPOCH, epochSeconds: DAY, reports, configs, configInForce };
}

const published = (cells: readonly { suppressed: boolean }[]) =>
  cells.filter((c): c is PublishedCell => !c.suppressed);

describe('the k-threshold (property, random memberships)', () => {
  const configArb = fc.record({
    k: fc.integer({ min: 2, max: 12 }),
    maxVisits: fc.constantFrom(20, 50),
    epsilon: fc.constantFrom(0.5, 2),
  });
  const membershipArb = fc.record({
    configs: fc.array(configArb, { minLength: 1, maxLength: 3 }),
    members: fc.array(
      fc.record({
        id: fc.integer({ min: 0, max: 60 }),
        version: fc.nat(),
        categories: fc.subarray(cats.map((c) => c.id)),
        value: fc.integer({ min: -5, max: 80 }),
      }),
      { maxLength: 120, size: 'medium' },
    ),
  });

  it('publishes a cell only with at least k distinct contributors, and a suppressed cell carries no number', () => {
    const seenCells = { published: 0, suppressed: 0 };
    fc.assert(
      fc.property(membershipArb, ({ configs: params, members }) => {
        const configs = params.map((p, i) =>
          config(i + 1, { kThreshold: p.k, maxVisits: p.maxVisits, epsilon: p.epsilon }, cats),
        );
        const inForce = configs.at(-1)!;
        const seen = new Set<number>();
        const reports = members
          .filter((m) => !seen.has(m.id) && seen.add(m.id))
          .map((m) =>
            report(
              m.id,
              (m.version % configs.length) + 1,
              m.categories.map((c) => [c, m.value, m.value * 10]),
            ),
          );
        const result = aggregateEpoch(epoch(reports, configs, inForce.version));

        for (const cell of result.cells) {
          seenCells[cell.suppressed ? 'suppressed' : 'published']++;
          if (cell.suppressed) {
            expect(Object.keys(cell).sort()).toEqual(['category', 'categoryKey', 'suppressed']);
            continue;
          }
          const contributing = reports.filter((r) => {
            const c = configs[r.configVersion - 1]!;
            return (
              c.privacy.maxVisits === cell.visits.clip &&
              r.counts.some((x) => x.category === cell.category)
            );
          });
          const promised = Math.max(
            inForce.privacy.kThreshold,
            ...contributing.map((r) => configs[r.configVersion - 1]!.privacy.kThreshold),
          );
          const exact = new Set(contributing.map((r) => r.member)).size;
          expect(exact).toBeGreaterThanOrEqual(promised);
          expect(cell.contributors).toBe(publishedCount(exact, promised).value);
          expect(cell.kThreshold).toBe(promised);
          expect(cell.contributors).toBeGreaterThanOrEqual(promised);
        }
        // Every category of the config in force is accounted for, published or suppressed.
        expect(new Set(result.cells.map((c) => c.category))).toEqual(
          new Set(cats.map((c) => c.id)),
        );
        // No member address leaves the module.
        const text = JSON.stringify(result);
        for (const r of reports) expect(text).not.toContain(r.member.slice(2));
      }),
      { seed: 42, numRuns: 200 },
    );
    // The generator exercises both sides of the threshold.
    expect(seenCells.published).toBeGreaterThan(100);
    expect(seenCells.suppressed).toBeGreaterThan(100);
  });
});

describe('aggregateEpoch', () => {
  const v1 = config(1, { kThreshold: 2, epsilon: 2 }, cats);

  it('estimates the total as the sum of the reports; SE, mean and interval are stated for the rounded count', () => {
    const reports = [
      report(1, 1, [
        [1, 10, 100],
        [243, 3, 30],
      ]),
      report(2, 1, [[1, 4, -20]]),
      report(3, 1, [[1, -2, 50]]),
    ];
    const [cell] = published(aggregateEpoch(epoch(reports, [v1])).cells);
    // 3 contributors at k = 2 are published as 4 (nearest multiple of min(10, k)).
    const variance = 2 * noiseVariance(2, 50, 1) + noiseVariance(2, 50, 2);
    const se = Math.sqrt((4 * variance) / 3);
    expect(cell).toMatchObject({ category: 1, contributors: 4, reportingMembers: 4 });
    expect(cell!.visits.total.value).toBe(12);
    expect(cell!.visits.total.se).toBeCloseTo(se, 2);
    expect(cell!.visits.total.ciLow).toBe(0); // 12 − 1.96·SE < 0: clamped to the possible range
    expect(cell!.visits.total.ciHigh).toBeCloseTo(Math.min(4 * 50, 12 + Z_95 * se), 2);
    expect(cell!.visits.mean.value).toBe(3);
    expect(cell!.visits.mean.se).toBeCloseTo(se / 4, 2);
    expect(cell!.shareContributing).toBe(1);
  });

  it('weights each report by its own ε and category count in the standard error', () => {
    const v2 = config(2, { kThreshold: 2, epsilon: 0.5 }, cats);
    const reports = [
      report(1, 1, [[1, 10, 100]]),
      report(2, 2, [
        [1, 10, 100],
        [243, 0, 0],
      ]),
    ];
    const [cell] = published(aggregateEpoch(epoch(reports, [v1, v2], 2)).cells);
    const expected = Math.sqrt(noiseVariance(2, 14_400, 1) + noiseVariance(0.5, 14_400, 2));
    expect(cell!.activeSeconds.total.se).toBeCloseTo(expected, 2);
  });

  it('splits a category by clip bounds instead of pooling differently clipped values', () => {
    const v2 = config(2, { kThreshold: 2, maxVisits: 20 }, cats);
    const reports = [
      report(1, 1, [[1, 30, 0]]),
      report(2, 1, [[1, 40, 0]]),
      report(3, 2, [[1, 20, 0]]),
      report(4, 2, [[1, 10, 0]]),
    ];
    const cells = published(aggregateEpoch(epoch(reports, [v1, v2], 2)).cells);
    expect(cells.map((c) => [c.visits.clip, c.contributors, c.visits.total.value])).toEqual([
      [20, 2, 30],
      [50, 2, 70],
    ]);
    expect(cells.every((c) => c.shareContributing === 0.5)).toBe(true);
  });

  it('holds a cell to the highest k any contributor was promised, even when the config in force lowered it', () => {
    const strict = config(1, { kThreshold: 3 }, cats);
    const lax = config(2, { kThreshold: 2 }, cats);
    const reports = [report(1, 1, [[1, 5, 5]]), report(2, 2, [[1, 5, 5]])];
    const result = aggregateEpoch(epoch(reports, [strict, lax], 2));
    expect(result.cells.find((c) => c.category === 1)).toEqual({
      suppressed: true,
      category: 1,
      categoryKey: 'arts-entertainment',
    });
  });

  it('lists a category nobody reported as suppressed, exactly like one with k − 1 contributors', () => {
    const result = aggregateEpoch(epoch([report(1, 1, [[1, 5, 5]])], [v1]));
    expect(result.cells).toEqual(
      cats.map((c) => ({ suppressed: true, category: c.id, categoryKey: c.key })),
    );
  });

  it('gives the same result whatever order the reports arrive in', () => {
    const { min, max } = noisyValueRange({ epsilon: 2 }, 50, 3);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min, max }), { minLength: 6, maxLength: 30 }),
        fc.integer(),
        (values, seed) => {
          const reports = values.map((v, i) =>
            report(i, 1, [
              [1, v, v],
              [243, v, 0],
              [289, 0, v],
            ]),
          );
          const shuffled = fc.sample(fc.shuffledSubarray(reports, { minLength: reports.length }), {
            seed,
            numRuns: 1,
          })[0]!;
          expect(aggregateEpoch(epoch(shuffled, [v1]))).toEqual(
            aggregateEpoch(epoch(reports, [v1])),
          );
        },
      ),
      { seed: 5, numRuns: 50 },
    );
  });

  it('refuses two reports from one member, an unknown config version, or a category the config does not list', () => {
    expect(() =>
      aggregateEpoch(epoch([report(1, 1, [[1, 1, 1]]), report(1, 1, [[243, 1, 1]])], [v1])),
    ).toThrow(expect.objectContaining({ code: 'PRODUCT_DUPLICATE_MEMBER' }));
    expect(() => aggregateEpoch(epoch([report(1, 9, [[1, 1, 1]])], [v1]))).toThrow(
      expect.objectContaining({ code: 'PRODUCT_UNKNOWN_CONFIG' }),
    );
    expect(() => aggregateEpoch(epoch([report(1, 1, [[57, 1, 1]])], [v1]))).toThrow(
      expect.objectContaining({ code: 'PRODUCT_CATEGORY_NOT_IN_CONFIG' }),
    );
  });
});

describe('member counts (issue 15: nothing a researcher sees carries an exact count)', () => {
  const k50 = config(1, { kThreshold: 50, epsilon: 2 }, cats);
  const epochOf = (members: number) =>
    aggregateEpoch(
      epoch(
        Array.from({ length: members }, (_, i) => report(i, 1, [[289, 0, 0]])),
        [k50],
      ),
    );

  it('publishes the same epoch, figure for figure, for 50 to 54 contributors', () => {
    const first = epochOf(50);
    expect(published(first.cells)[0]).toMatchObject({ contributors: 50, reportingMembers: 50 });
    for (const members of [51, 52, 53, 54]) expect(epochOf(members)).toEqual(first);
    expect(published(epochOf(55).cells)[0]).toMatchObject({ contributors: 60 });
  });

  it('keeps the standard error from giving the count away when every report has the same noise', () => {
    const se = (members: number) => published(epochOf(members).cells)[0]!.visits.total.se;
    // Exactly √(n·v) would tell n; stated for the rounded count it does not move within a step.
    expect(se(61)).toBe(se(64));
    expect(se(61)).toBeCloseTo(Math.sqrt(60 * noiseVariance(2, 50, 1)), 2);
  });
});
