/**
 * Parquet through hyparquet-writer (pure JavaScript, no WASM to download or instantiate, one small
 * dependency, MIT; its companion hyparquet reads the files back in tests). Streaming: rows are
 * buffered `rowGroupSize` at a time (default 10 000), each full buffer is encoded as one row
 * group and its bytes are handed on at once; only the footer (schema + row-group index, a few
 * hundred bytes per group) accumulates until the end. A year of daily cells for 500 categories is
 * ~18 row groups, never all in memory.
 *
 * Schema: INT32, DOUBLE, BOOLEAN, UTF-8 strings, and INT64 TIMESTAMP(MILLIS, UTC) for timestamps;
 * key columns REQUIRED, the rest OPTIONAL (null where a row does not carry them); Snappy
 * compression; the table name and any caller metadata in the footer's key-value metadata.
 */
import type { SchemaElement } from 'hyparquet';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';

import {
  unixSecondsFromIso,
  type ColumnSpec,
  type FlatRow,
  type RowSource,
  type TableSpec,
} from './table.ts';

export const DEFAULT_ROW_GROUP_SIZE = 10_000;

export interface ParquetOptions {
  readonly rowGroupSize?: number;
  /** Extra footer metadata, e.g. the datasheet URL or the taxonomy version. */
  readonly metadata?: Readonly<Record<string, string>>;
}

function schemaElement(column: ColumnSpec): SchemaElement {
  const repetition_type = column.required ? 'REQUIRED' : 'OPTIONAL';
  const name = column.name;
  switch (column.type) {
    case 'int32':
      return { name, repetition_type, type: 'INT32' };
    case 'float64':
      return { name, repetition_type, type: 'DOUBLE' };
    case 'boolean':
      return { name, repetition_type, type: 'BOOLEAN' };
    case 'string':
      return { name, repetition_type, type: 'BYTE_ARRAY', converted_type: 'UTF8' };
    case 'timestamp':
      return {
        name,
        repetition_type,
        type: 'INT64',
        converted_type: 'TIMESTAMP_MILLIS',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
      };
  }
}

export function parquetSchema(columns: readonly ColumnSpec[]): SchemaElement[] {
  return [{ name: 'root', num_children: columns.length }, ...columns.map(schemaElement)];
}

type ParquetCell = number | string | boolean | Date | null;

function columnValues<Row extends FlatRow>(
  rows: readonly Row[],
  column: ColumnSpec,
): ParquetCell[] {
  return rows.map((row) => {
    const value = row[column.name];
    if (value === undefined) return null;
    if (column.type === 'timestamp' && typeof value === 'string') {
      return new Date(unixSecondsFromIso(value) * 1000);
    }
    return value;
  });
}

/** Takes the bytes written since the last drain and rewinds the writer's buffer. */
function drain(writer: ByteWriter): Uint8Array {
  const bytes = writer.getBytes().slice();
  writer.index = 0;
  return bytes;
}

export async function* encodeParquet<Row extends FlatRow>(
  rows: RowSource<Row>,
  table: TableSpec<Row>,
  options: ParquetOptions = {},
): AsyncGenerator<Uint8Array> {
  const rowGroupSize = options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE;
  if (!Number.isInteger(rowGroupSize) || rowGroupSize < 1) {
    throw new RangeError(
      `a Parquet row group holds a positive whole number of rows, not ${rowGroupSize}`,
    );
  }
  const writer = new ByteWriter();
  const parquet = new ParquetWriter({
    writer,
    schema: parquetSchema(table.columns),
    kvMetadata: Object.entries({ 'crowdsell.table': table.name, ...options.metadata }).map(
      ([key, value]) => ({ key, value }),
    ),
    createdBy: 'crowdsell union (hyparquet-writer)',
  });
  const writeGroup = async (group: readonly Row[]) => {
    const columnData = table.columns.map((c) => ({ name: c.name, data: columnValues(group, c) }));
    await parquet.write({ columnData, rowGroupSize: group.length });
  };

  let group: Row[] = [];
  for await (const row of rows) {
    group.push(row);
    if (group.length === rowGroupSize) {
      await writeGroup(group);
      group = [];
      yield drain(writer);
    }
  }
  if (group.length > 0) await writeGroup(group);
  await parquet.finish();
  yield drain(writer);
}
