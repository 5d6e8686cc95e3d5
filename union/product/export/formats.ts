/** The export formats the product offers, with their HTTP content types and file extensions. */
import { encodeCsv } from './csv.ts';
import { encodeNdjson } from './ndjson.ts';
import { encodeParquet, type ParquetOptions } from './parquet.ts';
import type { FlatRow, RowSource, TableSpec } from './table.ts';

export const exportFormatNames = ['csv', 'ndjson', 'parquet'] as const;
export type ExportFormat = (typeof exportFormatNames)[number];

export const exportFormats: Readonly<
  Record<ExportFormat, { readonly contentType: string; readonly fileExtension: string }>
> = {
  csv: { contentType: 'text/csv; charset=utf-8; header=present', fileExtension: 'csv' },
  ndjson: { contentType: 'application/x-ndjson; charset=utf-8', fileExtension: 'ndjson' },
  parquet: { contentType: 'application/vnd.apache.parquet', fileExtension: 'parquet' },
};

export function isExportFormat(value: string): value is ExportFormat {
  return (exportFormatNames as readonly string[]).includes(value);
}

/** Streams `rows` in `format`: chunks of bytes, ready to pipe to a response or a file. */
export function encodeRows<Row extends FlatRow>(
  format: ExportFormat,
  rows: RowSource<Row>,
  table: TableSpec<Row>,
  parquet: ParquetOptions = {},
): AsyncGenerator<Uint8Array> {
  switch (format) {
    case 'csv':
      return encodeCsv(rows, table);
    case 'ndjson':
      return encodeNdjson(rows, table);
    case 'parquet':
      return encodeParquet(rows, table, parquet);
  }
}
