import { z } from 'zod';
import { describe, expect, it } from 'vitest';

import { encodeCsv } from './csv.ts';
import { decodeCsv, parseCsvRecords } from './decode.ts';
import type { TableSpec } from './table.ts';

const table: TableSpec<{ label: string; n?: number | undefined }> = {
  name: 'test',
  columns: [
    { name: 'label', type: 'string', unit: '', description: '', required: true },
    { name: 'n', type: 'float64', unit: '', description: '', required: false },
  ],
  rowSchema: z.strictObject({ label: z.string(), n: z.number().optional() }),
};

async function text(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  let out = '';
  for await (const chunk of chunks) out += new TextDecoder().decode(chunk);
  return out;
}

describe('CSV (RFC 4180)', () => {
  const rows = [
    { label: 'plain', n: 1.5 },
    { label: 'comma, and "quotes"', n: -0.25 },
    { label: 'two\r\nlines' },
  ];

  it('writes a header, CRLF line ends, and quotes only fields that need it', async () => {
    expect(await text(encodeCsv(rows, table))).toBe(
      'label,n\r\nplain,1.5\r\n"comma, and ""quotes""",-0.25\r\n"two\r\nlines",\r\n',
    );
  });

  it('reads back what it wrote, including quoted newlines and empty fields', async () => {
    expect(decodeCsv(await text(encodeCsv(rows, table)), table)).toEqual(rows);
  });

  it('parses LF-only files and a last line without a line end', () => {
    expect(parseCsvRecords('a,b\nc,"d\ne"')).toEqual([
      ['a', 'b'],
      ['c', 'd\ne'],
    ]);
  });

  it('refuses a file whose header is not the table’s columns in order', () => {
    expect(() => decodeCsv('n,label\r\n', table)).toThrow(
      expect.objectContaining({ code: 'EXPORT_BAD_CSV' }),
    );
  });
});
