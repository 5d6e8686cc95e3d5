/**
 * The free public sample: older epochs, rolled up to weeks or months, rounded.
 *
 * Privacy argument. The sample is computed from the *published* rows only — never from reports,
 * never from suppressed cells — so it is a post-processing of data every subscriber already has.
 * Differential privacy is closed under post-processing, so the sample costs no privacy budget, and
 * because suppressed cells contribute nothing, "sample minus published epochs" cannot reveal a
 * suppressed cell (it would, were the roll-up made from the raw reports). Rolling up and rounding
 * make it coarser still; that coarseness is for the product's value (a sample to judge by, not a
 * substitute), not for privacy.
 *
 * Input rows are the published cells (each epoch is published once). Member counts in them are
 * already rounded, so `member_epochs` sums rounded counts. Memory is
 * one accumulator per output row, whatever the number of input rows.
 */
import { roundSignificant } from './rounding.ts';
import { isoFromUnixSeconds, unixSecondsFromIso, type RowSource } from './export/table.ts';
import type { ProductRow, PublishedRow } from './product-row.ts';
import type { SamplePeriod, SampleRow } from './sample-row.ts';

/** Epochs younger than this stay out of the free sample (default 90 days). */
export const SAMPLE_MIN_AGE_SECONDS = 90 * 86_400;

export interface SampleOptions {
  readonly period: SamplePeriod;
  /** Unix seconds: only periods that end at or before this instant are included. */
  readonly cutoff: number;
}

const DAY = 86_400;
const MONDAY_OFFSET = 4 * DAY; // 1970-01-01 was a Thursday; 1970-01-05 a Monday

/** [start, end) of the ISO week or UTC calendar month holding `seconds`. */
export function periodBounds(period: SamplePeriod, seconds: number): [number, number] {
  if (period === 'week') {
    const start = Math.floor((seconds - MONDAY_OFFSET) / (7 * DAY)) * 7 * DAY + MONDAY_OFFSET;
    return [start, start + 7 * DAY];
  }
  const date = new Date(seconds * 1000);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  return [Date.UTC(year, month, 1) / 1000, Date.UTC(year, month + 1, 1) / 1000];
}

interface Accumulator {
  readonly key: Omit<
    SampleRow,
    `${'visits' | 'active_seconds'}_${'total' | 'mean'}${'' | '_se'}` | 'epochs' | 'member_epochs'
  >;
  readonly sortKey: readonly number[];
  epochs: number;
  memberEpochs: number;
  visitsTotal: number;
  visitsVariance: number;
  secondsTotal: number;
  secondsVariance: number;
}

function accumulatorFor(
  row: PublishedRow,
  period: SamplePeriod,
  start: number,
  end: number,
): Accumulator {
  return {
    key: {
      period,
      period_start: isoFromUnixSeconds(start),
      period_end: isoFromUnixSeconds(end),
      epoch_seconds: row.epoch_seconds,
      category_id: row.category_id,
      category_key: row.category_key,
      visits_clip: row.visits_clip,
      active_seconds_clip: row.active_seconds_clip,
    },
    sortKey: [start, row.category_id, row.visits_clip, row.active_seconds_clip, row.epoch_seconds],
    epochs: 0,
    memberEpochs: 0,
    visitsTotal: 0,
    visitsVariance: 0,
    secondsTotal: 0,
    secondsVariance: 0,
  };
}

function sampleRow(a: Accumulator): SampleRow {
  const visitsSe = Math.sqrt(a.visitsVariance);
  const secondsSe = Math.sqrt(a.secondsVariance);
  return {
    ...a.key,
    epochs: a.epochs,
    member_epochs: a.memberEpochs,
    visits_total: roundSignificant(a.visitsTotal, 3),
    visits_total_se: roundSignificant(visitsSe, 2),
    visits_mean: roundSignificant(a.visitsTotal / a.memberEpochs, 3),
    visits_mean_se: roundSignificant(visitsSe / a.memberEpochs, 2),
    active_seconds_total: roundSignificant(a.secondsTotal, 3),
    active_seconds_total_se: roundSignificant(secondsSe, 2),
    active_seconds_mean: roundSignificant(a.secondsTotal / a.memberEpochs, 3),
    active_seconds_mean_se: roundSignificant(secondsSe / a.memberEpochs, 2),
  };
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Rolls published rows up into the public sample. Noise is independent across epochs, so totals
 * add and variances add: SE = √(Σ SE²).
 */
export async function publicSample(
  rows: RowSource<ProductRow>,
  options: SampleOptions,
): Promise<SampleRow[]> {
  const accumulators = new Map<string, Accumulator>();
  for await (const row of rows) {
    if (row.suppressed) continue;
    const [start, end] = periodBounds(options.period, unixSecondsFromIso(row.epoch_start));
    if (end > options.cutoff) continue;
    const id = [
      start,
      row.category_id,
      row.visits_clip,
      row.active_seconds_clip,
      row.epoch_seconds,
    ].join(':');
    let a = accumulators.get(id);
    if (!a) {
      a = accumulatorFor(row, options.period, start, end);
      accumulators.set(id, a);
    }
    a.epochs += 1;
    a.memberEpochs += row.contributors;
    a.visitsTotal += row.visits_total;
    a.visitsVariance += row.visits_total_se ** 2;
    a.secondsTotal += row.active_seconds_total;
    a.secondsVariance += row.active_seconds_total_se ** 2;
  }
  return [...accumulators.values()]
    .sort((a, b) => compareKeys(a.sortKey, b.sortKey))
    .map(sampleRow);
}
