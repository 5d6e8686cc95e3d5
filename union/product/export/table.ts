/**
 * A table the exporters can write: an ordered list of typed, documented columns plus the zod
 * schema that validates a row read back. Rows are flat records of JSON scalars; a column a row
 * does not carry (e.g. every number of a suppressed cell) is absent from the row, written as an
 * empty CSV field, a missing NDJSON key, or a Parquet null.
 */
import type { z } from 'zod';

export type ColumnType = 'int32' | 'float64' | 'string' | 'boolean' | 'timestamp';

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  /** Unit of measurement, for people ("visits", "seconds", "members", "fraction 0–1" …). */
  readonly unit: string;
  readonly description: string;
  /** True when every row carries the column; false when some rows omit it. */
  readonly required: boolean;
}

export type CellValue = string | number | boolean;

/** Any flat row: a record of scalars (object types built by zod satisfy it). */
export type FlatRow = Readonly<Record<string, CellValue | undefined>>;

export interface TableSpec<Row extends FlatRow> {
  /** Machine name, also written into Parquet metadata ("crowdsell.table"). */
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
  /** Validates one decoded row (absent columns already dropped). */
  readonly rowSchema: z.ZodType<Row>;
}

export type RowSource<Row> = AsyncIterable<Row> | Iterable<Row>;

/** Timestamps are ISO 8601 UTC strings with whole seconds, e.g. "2025-03-01T00:00:00Z". */
export function isoFromUnixSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

export function unixSecondsFromIso(iso: string): number {
  return Date.parse(iso) / 1000;
}
