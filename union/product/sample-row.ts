/**
 * The free public sample's row: one (period, category, clip bounds, epoch length) roll-up of
 * published cells. Coarser than the product on purpose: weeks or months instead of epochs, totals
 * to 3 significant digits, standard errors to 2. See `sample.ts` and docs/datasheet.md.
 */
import { z } from 'zod';

import type { ColumnSpec, TableSpec } from './export/table.ts';

const timestamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, 'an ISO 8601 UTC timestamp in whole seconds');
const count = z.number().int().min(0);

export const samplePeriods = ['week', 'month'] as const;
export type SamplePeriod = (typeof samplePeriods)[number];

export const sampleRowSchema = z.strictObject({
  period: z.enum(samplePeriods),
  period_start: timestamp,
  period_end: timestamp,
  epoch_seconds: z.number().int().min(1),
  category_id: z.number().int().min(0).max(65_535),
  category_key: z.string().min(1),
  visits_clip: count,
  active_seconds_clip: count,
  epochs: count,
  member_epochs: count,
  visits_total: z.number(),
  visits_total_se: z.number(),
  visits_mean: z.number(),
  visits_mean_se: z.number(),
  active_seconds_total: z.number(),
  active_seconds_total_se: z.number(),
  active_seconds_mean: z.number(),
  active_seconds_mean_se: z.number(),
});
export type SampleRow = z.infer<typeof sampleRowSchema>;

const col = (name: string, type: ColumnSpec['type'], unit: string, description: string) =>
  ({ name, type, unit, description, required: true }) as const;

export const sampleColumns: readonly ColumnSpec[] = [
  col(
    'period',
    'string',
    'week or month',
    'Roll-up period: ISO week (Monday 00:00 UTC) or calendar month (UTC).',
  ),
  col('period_start', 'timestamp', 'UTC', 'Start of the period (inclusive).'),
  col('period_end', 'timestamp', 'UTC', 'End of the period (exclusive).'),
  col('epoch_seconds', 'int32', 'seconds', 'Length of the epochs rolled up.'),
  col('category_id', 'int32', 'id', 'Category id (Topics API taxonomy v2 id where one maps).'),
  col('category_key', 'string', 'key', 'Stable machine key of the category.'),
  col('visits_clip', 'int32', 'visits per member per epoch', 'Clip bound of the visits rolled up.'),
  col(
    'active_seconds_clip',
    'int32',
    'seconds per member per epoch',
    'Clip bound of the active seconds rolled up.',
  ),
  col(
    'epochs',
    'int32',
    'epochs',
    'Published (not suppressed) epochs rolled up; suppressed epochs add nothing.',
  ),
  col(
    'member_epochs',
    'int32',
    'member-epochs',
    'Sum of the published (rounded) contributors over those epochs (a member counts once per epoch).',
  ),
  col(
    'visits_total',
    'float64',
    'visits',
    'Sum of the epochs’ de-biased visit totals, 3 significant digits.',
  ),
  col(
    'visits_total_se',
    'float64',
    'visits',
    'Noise standard error of visits_total, 2 significant digits.',
  ),
  col(
    'visits_mean',
    'float64',
    'visits per member-epoch',
    'visits_total / member_epochs, 3 significant digits.',
  ),
  col(
    'visits_mean_se',
    'float64',
    'visits per member-epoch',
    'visits_total_se / member_epochs, 2 significant digits.',
  ),
  col(
    'active_seconds_total',
    'float64',
    'seconds',
    'Sum of the epochs’ de-biased active-seconds totals, 3 significant digits.',
  ),
  col(
    'active_seconds_total_se',
    'float64',
    'seconds',
    'Noise standard error of active_seconds_total, 2 significant digits.',
  ),
  col(
    'active_seconds_mean',
    'float64',
    'seconds per member-epoch',
    'active_seconds_total / member_epochs, 3 significant digits.',
  ),
  col(
    'active_seconds_mean_se',
    'float64',
    'seconds per member-epoch',
    'active_seconds_total_se / member_epochs, 2 significant digits.',
  ),
];

export const sampleTable: TableSpec<SampleRow> = {
  name: 'crowdsell.public-sample',
  columns: sampleColumns,
  rowSchema: sampleRowSchema,
};
