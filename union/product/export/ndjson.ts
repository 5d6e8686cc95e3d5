/**
 * NDJSON (newline-delimited JSON, one object per line, LF): each row's present columns in the
 * table's order; absent columns are left out, so a suppressed cell's line holds its key columns
 * and `"suppressed":true` and nothing else.
 */
import { textChunks } from './text-chunks.ts';
import type { CellValue, FlatRow, RowSource, TableSpec } from './table.ts';

export function ndjsonLine<Row extends FlatRow>(row: Row, table: TableSpec<Row>): string {
  const ordered: Record<string, CellValue> = {};
  for (const { name } of table.columns) {
    const value = row[name];
    if (value !== undefined) ordered[name] = value;
  }
  return `${JSON.stringify(ordered)}\n`;
}

async function* ndjsonLines<Row extends FlatRow>(
  rows: RowSource<Row>,
  table: TableSpec<Row>,
): AsyncGenerator<string> {
  for await (const row of rows) yield ndjsonLine(row, table);
}

export function encodeNdjson<Row extends FlatRow>(
  rows: RowSource<Row>,
  table: TableSpec<Row>,
): AsyncGenerator<Uint8Array> {
  return textChunks(ndjsonLines(rows, table));
}
