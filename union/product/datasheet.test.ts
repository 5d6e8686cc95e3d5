import { readFile } from 'node:fs/promises';

import { describe, expect, it } from 'vitest';

import { defaultPrivacy } from '../../extension/protocol/privacy.ts';
import { datasheet, datasheetMarkdownUrl } from './datasheet.ts';
import { encodeCsv } from './export/csv.ts';
import type { ColumnSpec } from './export/table.ts';
import { productTable } from './product-row.ts';
import { sampleColumns } from './sample-row.ts';

async function csvHeader(): Promise<string[]> {
  for await (const chunk of encodeCsv([], productTable)) {
    return new TextDecoder().decode(chunk).trimEnd().split(',');
  }
  return [];
}

/** The body rows of the first Markdown table after `heading`, as [column, type, unit]. */
function markdownFieldTable(markdown: string, heading: string): string[][] {
  const lines = (markdown.split(heading)[1] ?? '').split('\n');
  const start = lines.findIndex((line) => line.startsWith('| `'));
  const end = lines.findIndex((line, i) => i > start && !line.startsWith('|'));
  return lines.slice(start, end).map((line) =>
    line
      .split('|')
      .slice(1, 4)
      .map((cell) => cell.trim().replaceAll('`', '')),
  );
}

const specRows = (columns: readonly ColumnSpec[]) => columns.map((c) => [c.name, c.type, c.unit]);

describe('the datasheet', () => {
  it('lists in its JSON exactly the columns of the CSV header, in order', async () => {
    expect(datasheet().composition.fields.map((f) => f.name)).toEqual(await csvHeader());
  });

  it('documents in Markdown every product column with its type and unit, in export order', async () => {
    const markdown = await readFile(datasheetMarkdownUrl, 'utf8');
    expect(markdownFieldTable(markdown, '### Fields of the product')).toEqual(
      specRows(productTable.columns),
    );
    expect(markdownFieldTable(markdown, '### Fields of the public sample')).toEqual(
      specRows(sampleColumns),
    );
  });

  it('has the sections of Datasheets for Datasets in its Markdown', async () => {
    const markdown = await readFile(datasheetMarkdownUrl, 'utf8');
    const headings = markdown.split('\n').filter((l) => l.startsWith('## '));
    expect(headings).toEqual([
      '## 1. Motivation',
      '## 2. Composition',
      '## 3. Collection process',
      '## 4. Preprocessing',
      '## 5. Known biases and limitations',
      '## 6. Uses',
      '## 7. Distribution',
      '## 8. Maintenance',
    ]);
  });

  it('states the privacy defaults the extension actually applies', () => {
    const { preprocessing } = datasheet();
    expect(preprocessing.noise.epsilonPerEpochDefault).toBe(defaultPrivacy.epsilon);
    expect(preprocessing.kThreshold.default).toBe(defaultPrivacy.kThreshold);
    expect(preprocessing.clipping.visitsDefault).toBe(defaultPrivacy.maxVisits);
    expect(preprocessing.clipping.activeSecondsDefault).toBe(defaultPrivacy.maxActiveSeconds);
  });

  it('is plain JSON that survives a round trip', () => {
    expect(JSON.parse(JSON.stringify(datasheet()))).toEqual(datasheet());
  });
});
