/**
 * CSV per RFC 4180: a header line with the table's column names in their fixed order, CRLF line
 * ends, fields quoted only when they contain a comma, a double quote, CR or LF (quotes doubled).
 * An absent value is an empty field; numbers as JavaScript prints them (they read back exactly);
 * booleans as `true` / `false`; timestamps as ISO 8601 UTC.
 */
import { textChunks } from './text-chunks.ts';
import type { CellValue, FlatRow, RowSource, TableSpec } from './table.ts';

export function csvField(value: CellValue | undefined): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(fields: readonly (CellValue | undefined)[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

async function* csvLines<Row extends FlatRow>(
  rows: RowSource<Row>,
  table: TableSpec<Row>,
): AsyncGenerator<string> {
  yield csvLine(table.columns.map((c) => c.name));
  for await (const row of rows) yield csvLine(table.columns.map((c) => row[c.name]));
}

export function encodeCsv<Row extends FlatRow>(
  rows: RowSource<Row>,
  table: TableSpec<Row>,
): AsyncGenerator<Uint8Array> {
  return textChunks(csvLines(rows, table));
}
