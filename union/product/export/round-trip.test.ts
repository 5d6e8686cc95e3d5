import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';

import { productTable, type ProductRow } from '../product-row.ts';
import { simulatedRows } from '../testing/product-rows.ts';
import { decodeCsv, decodeNdjson, decodeParquet } from './decode.ts';
import { encodeRows, type ExportFormat } from './formats.ts';

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.length;
  }
  return bytes;
}

async function* slowly<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) {
    await Promise.resolve();
    yield item;
  }
}

async function roundTrip(format: ExportFormat, rows: readonly ProductRow[]): Promise<ProductRow[]> {
  const bytes = concat(
    await collect(encodeRows(format, slowly(rows), productTable, { rowGroupSize: 7 })),
  );
  if (format === 'parquet') return decodeParquet(bytes, productTable);
  const text = new TextDecoder().decode(bytes);
  return format === 'csv' ? decodeCsv(text, productTable) : decodeNdjson(text, productTable);
}

describe('CSV, NDJSON and Parquet exports of the product', () => {
  const rows = simulatedRows(12);

  it('covers published, suppressed and split-bound cells', () => {
    expect(rows.some((r) => r.suppressed)).toBe(true);
    expect(rows.some((r) => !r.suppressed && r.visits_clip === 100)).toBe(true);
    expect(rows.some((r) => !r.suppressed && r.visits_clip === 50)).toBe(true);
  });

  it.each(['csv', 'ndjson', 'parquet'] as const)(
    'read back to exactly the same rows from %s',
    async (format) => {
      expect(await roundTrip(format, rows)).toEqual(rows);
    },
  );

  it('streams Parquet one row group at a time, and the chunks form one readable file', async () => {
    const chunks = await collect(encodeRows('parquet', rows, productTable, { rowGroupSize: 7 }));
    const groups = Math.ceil(rows.length / 7);
    // One chunk per full row group as soon as it is full; the last partial group goes with the footer.
    expect(chunks.length).toBe(Math.floor(rows.length / 7) + 1);
    const bytes = concat(chunks);
    const metadata = parquetMetadata(bytes.slice().buffer);
    expect(metadata.row_groups).toHaveLength(groups);
    expect(Number(metadata.num_rows)).toBe(rows.length);
    expect(metadata.key_value_metadata).toContainEqual({
      key: 'crowdsell.table',
      value: 'crowdsell.aggregates',
    });
  });

  it('writes a suppressed cell with its key columns only: empty CSV fields, no NDJSON keys, Parquet nulls', async () => {
    const suppressed = rows.find((r) => r.suppressed)!;
    const csv = new TextDecoder().decode(
      concat(await collect(encodeRows('csv', [suppressed], productTable))),
    );
    const [, line] = csv.split('\r\n');
    expect(line).toBe(
      `${suppressed.epoch_start},86400,${suppressed.category_id},${suppressed.category_key},plain,true${','.repeat(productTable.columns.length - 6)}`,
    );
    const ndjson = new TextDecoder().decode(
      concat(await collect(encodeRows('ndjson', [suppressed], productTable))),
    );
    const keyColumns = [
      'epoch_start',
      'epoch_seconds',
      'category_id',
      'category_key',
      'mode',
      'suppressed',
    ];
    expect(Object.keys(JSON.parse(ndjson) as object)).toEqual(keyColumns);
    const parquet = concat(await collect(encodeRows('parquet', [suppressed], productTable)));
    const [raw] = await parquetReadObjects({ file: parquet.slice().buffer });
    for (const { name } of productTable.columns) {
      if (!keyColumns.includes(name)) expect(raw?.[name]).toBeNull();
    }
  });

  it('writes a valid empty file for an empty range in every format', async () => {
    expect(await roundTrip('csv', [])).toEqual([]);
    expect(await roundTrip('ndjson', [])).toEqual([]);
    expect(await roundTrip('parquet', [])).toEqual([]);
  });

  it('refuses to read back a file whose rows do not match the schema', () => {
    const bad = `{"epoch_start":"2026-01-01T00:00:00Z","epoch_seconds":86400,"category_id":1,"category_key":"news","mode":"plain","suppressed":true,"contributors":3}\n`;
    expect(() => decodeNdjson(bad, productTable)).toThrow(
      expect.objectContaining({ code: 'EXPORT_BAD_ROW' }),
    );
  });
});
