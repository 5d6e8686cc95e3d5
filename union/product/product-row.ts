/**
 * The published product's row: one line per (epoch, category, clip bounds) cell, or one line per
 * suppressed (epoch, category). Column names, order, types and units are fixed here; the
 * datasheet (docs/datasheet.md, "Composition") documents the same list, and a test keeps both in
 * step. A suppressed row carries only the six key columns: every number is absent.
 */
import { z } from 'zod';

import { isoFromUnixSeconds, type ColumnSpec, type TableSpec } from './export/table.ts';
import type { MeasureEstimate, ProductCell, PublishedCell, PublishedEpoch } from './types.ts';

const timestamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, 'an ISO 8601 UTC timestamp in whole seconds');
const count = z.number().int().min(0);
const real = z.number();

const keyShape = {
  epoch_start: timestamp,
  epoch_seconds: z.number().int().min(1),
  category_id: z.number().int().min(0).max(65_535),
  category_key: z.string().min(1),
  mode: z.enum(['plain', 'dap']),
};

export const publishedRowSchema = z.strictObject({
  ...keyShape,
  suppressed: z.literal(false),
  k_threshold: count,
  contributors: count,
  reporting_members: count,
  share_contributing: z.number().min(0).max(1),
  visits_clip: count,
  visits_total: real,
  visits_total_se: real,
  visits_total_ci_low: real,
  visits_total_ci_high: real,
  visits_mean: real,
  visits_mean_se: real,
  visits_mean_ci_low: real,
  visits_mean_ci_high: real,
  active_seconds_clip: count,
  active_seconds_total: real,
  active_seconds_total_se: real,
  active_seconds_total_ci_low: real,
  active_seconds_total_ci_high: real,
  active_seconds_mean: real,
  active_seconds_mean_se: real,
  active_seconds_mean_ci_low: real,
  active_seconds_mean_ci_high: real,
});

export const suppressedRowSchema = z.strictObject({ ...keyShape, suppressed: z.literal(true) });

export const productRowSchema = z.discriminatedUnion('suppressed', [
  publishedRowSchema,
  suppressedRowSchema,
]);

export type PublishedRow = z.infer<typeof publishedRowSchema>;
export type ProductRow = z.infer<typeof productRowSchema>;

const key = (name: string, type: ColumnSpec['type'], unit: string, description: string) =>
  ({ name, type, unit, description, required: true }) as const;
const num = (name: string, type: ColumnSpec['type'], unit: string, description: string) =>
  ({ name, type, unit, description, required: false }) as const;

function measureColumns(prefix: string, unit: string, what: string): ColumnSpec[] {
  const per = `${unit} per contributor`;
  return [
    num(
      `${prefix}_clip`,
      'int32',
      `${unit} per member per epoch`,
      `Clip bound: a member's ${what} in the epoch are capped at this value before noise.`,
    ),
    num(
      `${prefix}_total`,
      'float64',
      unit,
      `De-biased estimate of the contributors' total ${what}, after clipping (sum of the noisy reports; can be negative).`,
    ),
    num(
      `${prefix}_total_se`,
      'float64',
      unit,
      `Standard error of ${prefix}_total from the privacy noise, for the published contributors count.`,
    ),
    num(
      `${prefix}_total_ci_low`,
      'float64',
      unit,
      `Lower end of the 95 % confidence interval of the total, within [0, contributors × clip].`,
    ),
    num(
      `${prefix}_total_ci_high`,
      'float64',
      unit,
      `Upper end of the 95 % confidence interval of the total, within [0, contributors × clip].`,
    ),
    num(
      `${prefix}_mean`,
      'float64',
      per,
      `${prefix}_total / contributors (the published count): mean ${what} per contributing member, after clipping.`,
    ),
    num(`${prefix}_mean_se`, 'float64', per, `${prefix}_total_se / contributors.`),
    num(
      `${prefix}_mean_ci_low`,
      'float64',
      per,
      `Lower end of the 95 % confidence interval of the mean.`,
    ),
    num(
      `${prefix}_mean_ci_high`,
      'float64',
      per,
      `Upper end of the 95 % confidence interval of the mean.`,
    ),
  ];
}

export const productColumns: readonly ColumnSpec[] = [
  key('epoch_start', 'timestamp', 'UTC', 'Start of the epoch (ISO 8601, UTC).'),
  key('epoch_seconds', 'int32', 'seconds', 'Length of the epoch (86400 = one day).'),
  key(
    'category_id',
    'int32',
    'id',
    'Category id; equals the Topics API taxonomy v2 id where one maps.',
  ),
  key('category_key', 'string', 'key', 'Stable machine key of the category, e.g. "shopping".'),
  key(
    'mode',
    'string',
    'method',
    'How the row was computed: "plain" from members\' locally noised signed reports, "dap" from the noisy sums the two aggregators released (central noise; docs/datasheet.md, "Collection process").',
  ),
  key(
    'suppressed',
    'boolean',
    'flag',
    'True when fewer than k_threshold members contributed: every other column is then empty.',
  ),
  num(
    'k_threshold',
    'int32',
    'members',
    'Minimum distinct contributors a cell needs to be published.',
  ),
  num(
    'contributors',
    'int32',
    'members',
    'Distinct members whose report for the epoch carried this category (they opted in), rounded to the nearest multiple of 10, never below k_threshold.',
  ),
  num(
    'reporting_members',
    'int32',
    'members',
    'Distinct members who sent a report for the epoch, rounded like contributors.',
  ),
  num(
    'share_contributing',
    'float64',
    'fraction 0–1',
    'contributors / reporting_members (of the rounded counts).',
  ),
  ...measureColumns('visits', 'visits', 'page visits'),
  ...measureColumns('active_seconds', 'seconds', 'active seconds'),
];

export const productTable: TableSpec<ProductRow> = {
  name: 'crowdsell.aggregates',
  columns: productColumns,
  rowSchema: productRowSchema,
};

function visitsFields(m: MeasureEstimate) {
  return {
    visits_clip: m.clip,
    visits_total: m.total.value,
    visits_total_se: m.total.se,
    visits_total_ci_low: m.total.ciLow,
    visits_total_ci_high: m.total.ciHigh,
    visits_mean: m.mean.value,
    visits_mean_se: m.mean.se,
    visits_mean_ci_low: m.mean.ciLow,
    visits_mean_ci_high: m.mean.ciHigh,
  };
}

function activeSecondsFields(m: MeasureEstimate) {
  return {
    active_seconds_clip: m.clip,
    active_seconds_total: m.total.value,
    active_seconds_total_se: m.total.se,
    active_seconds_total_ci_low: m.total.ciLow,
    active_seconds_total_ci_high: m.total.ciHigh,
    active_seconds_mean: m.mean.value,
    active_seconds_mean_se: m.mean.se,
    active_seconds_mean_ci_low: m.mean.ciLow,
    active_seconds_mean_ci_high: m.mean.ciHigh,
  };
}

/** The key columns every row of `epoch` starts with. */
function keyFields(epoch: PublishedEpoch, cell: ProductCell) {
  return {
    epoch_start: isoFromUnixSeconds(epoch.epochStart),
    epoch_seconds: epoch.epochSeconds,
    category_id: cell.category,
    category_key: cell.categoryKey,
    mode: epoch.mode ?? 'plain',
  };
}

function publishedRow(epoch: PublishedEpoch, cell: PublishedCell): PublishedRow {
  return {
    ...keyFields(epoch, cell),
    suppressed: false,
    k_threshold: cell.kThreshold,
    contributors: cell.contributors,
    reporting_members: cell.reportingMembers,
    share_contributing: cell.shareContributing,
    ...visitsFields(cell.visits),
    ...activeSecondsFields(cell.activeSeconds),
  };
}

/** The rows of one published epoch, in cell order. */
export function epochRows(epoch: PublishedEpoch): ProductRow[] {
  return epoch.cells.map((cell) =>
    cell.suppressed ? { ...keyFields(epoch, cell), suppressed: true } : publishedRow(epoch, cell),
  );
}
