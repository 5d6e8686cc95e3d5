/**
 * One epoch's product from what the two DAP aggregators released (issue 17): the batch's noisy
 * sums, per category `[contributed flag, clipped visits, clipped active minutes]` in the task's
 * category order (extension/protocol/dap-task.ts), and the batch's report count. Pure: plain values
 * in, a `PublishedEpoch` (mode `dap`) out. The union never sees a member's values in this mode.
 *
 * Rules (docs/datasheet.md, "Collection process"):
 * - Each released sum is the true clipped sum plus zero-mean central noise from each aggregator,
 *   so it is already de-biased: no per-report correction as in the plain mode.
 * - Contributors of a category = its noisy flag sum (the aggregators add noise to it like any
 *   other entry). A category whose noisy contributor count is below k is suppressed, with no
 *   number at all; so is every category when the aggregators refused the batch (fewer than k
 *   reports: DAP `invalidBatchSize`).
 * - Standard errors come from the central noise's calibration: the released variance of an entry
 *   kind (`noiseVariance`, both aggregators' draws), never from the data. Active time is released
 *   in minutes and published in seconds (× 60, its standard error too).
 * - Reporting members: the batch's report count (exact in the `Collection`), published rounded
 *   like the plain mode's counts; every interval is bounded by that rounded count's largest value.
 */
import { measureFromTotal } from './cell-estimate.ts';
import { publishedCount, roundTo, SHARE_DECIMALS } from './rounding.ts';
import type { AggregationConfig, ProductCell, PublishedEpoch } from './types.ts';

/** Entries per category in the released vector (flag, visits, active minutes). */
const ENTRIES = 3;
const SECONDS_PER_MINUTE = 60;

/** Variance of the released noise on one entry of each kind (both aggregators together). */
export interface ReleasedNoise {
  readonly flag: number;
  readonly visits: number;
  readonly activeMinutes: number;
}

/** What the collector opened: the sums and the batch's report count. */
export interface Release {
  readonly reportCount: number;
  /** Signed integers (central noise can take a sum below zero), 3 per category. */
  readonly sums: readonly number[];
}

export interface DapEpochInput {
  readonly epochStart: number;
  readonly epochSeconds: number;
  /** The config in force: its categories, in order, are the task's; its k and clip bounds apply. */
  readonly config: AggregationConfig;
  /** Null when the aggregators refused the batch (fewer reports than the minimum batch size). */
  readonly release: Release | null;
  readonly noiseVariance: ReleasedNoise;
}

function checkRelease(config: AggregationConfig, release: Release): void {
  const expected = ENTRIES * config.categories.length;
  if (release.sums.length !== expected) {
    throw new RangeError(
      `the release has ${release.sums.length} sums; config version ${config.version} has ${config.categories.length} categories (${expected} sums)`,
    );
  }
  if (!release.sums.every(Number.isSafeInteger) || !Number.isSafeInteger(release.reportCount)) {
    throw new RangeError('released sums and report count are integers');
  }
}

export function dapEpoch(input: DapEpochInput): PublishedEpoch {
  const { config, release, noiseVariance } = input;
  const k = config.privacy.kThreshold;
  const base = {
    mode: 'dap' as const,
    epochStart: input.epochStart,
    epochSeconds: input.epochSeconds,
  };
  const suppressed = (c: { id: number; key: string }): ProductCell => ({
    suppressed: true,
    category: c.id,
    categoryKey: c.key,
  });
  const byCategory = (a: ProductCell, b: ProductCell) => a.category - b.category;
  if (release === null) {
    return { ...base, cells: config.categories.map(suppressed).sort(byCategory) };
  }
  checkRelease(config, release);

  const reporting = publishedCount(release.reportCount, k);
  const visitsSe = Math.sqrt(noiseVariance.visits);
  const secondsSe = SECONDS_PER_MINUTE * Math.sqrt(noiseVariance.activeMinutes);
  const published = config.categories.map((c, i): ProductCell => {
    const [flag, visits, minutes] = release.sums.slice(ENTRIES * i, ENTRIES * i + ENTRIES) as [
      number,
      number,
      number,
    ];
    if (flag < k) return suppressed(c);
    const contributors = { value: flag, max: Math.max(flag, reporting.max) };
    return {
      suppressed: false,
      category: c.id,
      categoryKey: c.key,
      kThreshold: k,
      contributors: flag,
      reportingMembers: 0, // below, once every category is known
      shareContributing: 0,
      visits: measureFromTotal(visits, visitsSe, config.privacy.maxVisits, contributors),
      activeSeconds: measureFromTotal(
        SECONDS_PER_MINUTE * minutes,
        secondsSe,
        config.privacy.maxActiveSeconds,
        contributors,
      ),
    };
  });
  // One figure for the epoch, never below a category's (noisy) contributors.
  const reportingMembers = Math.max(
    reporting.value,
    ...published.map((c) => (c.suppressed ? 0 : c.contributors)),
  );
  const cells = published
    .map((c) =>
      c.suppressed
        ? c
        : {
            ...c,
            reportingMembers,
            shareContributing: roundTo(c.contributors / reportingMembers, SHARE_DECIMALS),
          },
    )
    .sort(byCategory);
  return { ...base, cells };
}
