/**
 * Readers for the three export formats, back to validated rows: the round-trip check of the
 * encoders, and a way for the operator (or a test) to verify a downloaded file. Whole-buffer, not
 * streaming: they are for checking, not for serving.
 */
import { parquetReadObjects } from 'hyparquet';

import { CrowdsellError } from '../../../extension/protocol/errors.ts';
import type { CellValue, ColumnSpec, FlatRow, TableSpec } from './table.ts';
import { isoFromUnixSeconds } from './table.ts';

function validated<Row extends FlatRow>(table: TableSpec<Row>, raw: unknown, line: number): Row {
  const parsed = table.rowSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CrowdsellError(
      'EXPORT_BAD_ROW',
      `Row ${line} of the ${table.name} file is invalid at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}.`,
    );
  }
  return parsed.data;
}

/** Splits RFC 4180 text into records of fields (quoted fields may hold commas, quotes, newlines). */
export function parseCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (quoted) throw new CrowdsellError('EXPORT_BAD_CSV', 'The CSV ends inside a quoted field.');
  if (field !== '' || record.length > 0) records.push([...record, field]);
  return records;
}

function csvValue(field: string, column: ColumnSpec): CellValue | undefined {
  if (field === '') return undefined;
  switch (column.type) {
    case 'int32':
    case 'float64':
      return Number(field);
    case 'boolean':
      return field === 'true' ? true : field === 'false' ? false : field;
    case 'string':
    case 'timestamp':
      return field;
  }
}

function present(entries: [string, CellValue | undefined][]): Record<string, CellValue> {
  const row: Record<string, CellValue> = {};
  for (const [name, value] of entries) if (value !== undefined) row[name] = value;
  return row;
}

export function decodeCsv<Row extends FlatRow>(text: string, table: TableSpec<Row>): Row[] {
  const [header, ...records] = parseCsvRecords(text);
  const names = table.columns.map((c) => c.name);
  if (header?.join(',') !== names.join(',')) {
    throw new CrowdsellError(
      'EXPORT_BAD_CSV',
      `The CSV header does not list the ${table.name} columns in order.`,
    );
  }
  return records.map((fields, i) =>
    validated(
      table,
      present(table.columns.map((c, j) => [c.name, csvValue(fields[j] ?? '', c)])),
      i + 2,
    ),
  );
}

export function decodeNdjson<Row extends FlatRow>(text: string, table: TableSpec<Row>): Row[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line, i) => validated(table, JSON.parse(line) as unknown, i + 1));
}

function parquetValue(value: unknown, column: ColumnSpec): unknown {
  if (value === null || value === undefined) return undefined;
  if (column.type === 'timestamp' && value instanceof Date) {
    return isoFromUnixSeconds(value.getTime() / 1000);
  }
  return value;
}

export async function decodeParquet<Row extends FlatRow>(
  bytes: Uint8Array,
  table: TableSpec<Row>,
): Promise<Row[]> {
  const file = bytes.slice().buffer;
  const objects: Record<string, unknown>[] = await parquetReadObjects({ file });
  return objects.map((object, i) => {
    const row: Record<string, unknown> = {};
    for (const column of table.columns) {
      const value = parquetValue(object[column.name], column);
      if (value !== undefined) row[column.name] = value;
    }
    return validated(table, row, i + 1);
  });
}
