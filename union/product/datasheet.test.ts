import { readFile } from 'node:fs/promises';

import { describe, expect, it } from 'vitest';

import {
  DEVELOPMENT_LIMITS,
  type PrivacyLimits,
  STORE_LIMITS,
} from '../../extension/protocol/privacy-budget.ts';
import { defaultPrivacy, privacyBounds } from '../../extension/protocol/privacy.ts';
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
    expect(datasheet(STORE_LIMITS).composition.fields.map((f) => f.name)).toEqual(
      await csvHeader(),
    );
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
    const { preprocessing } = datasheet(STORE_LIMITS);
    expect(preprocessing.noise.epsilonPerEpochDefault).toBe(defaultPrivacy.epsilon);
    expect(preprocessing.kThreshold.default).toBe(defaultPrivacy.kThreshold);
    expect(preprocessing.clipping.visitsDefault).toBe(defaultPrivacy.maxVisits);
    expect(preprocessing.clipping.activeSecondsDefault).toBe(defaultPrivacy.maxActiveSeconds);
  });

  it.each<[string, PrivacyLimits]>([
    ['store', STORE_LIMITS],
    ['development', DEVELOPMENT_LIMITS],
  ])('states the %s limits the serving union enforces, never the schema bounds', (_, limits) => {
    const { composition, preprocessing } = datasheet(limits);
    expect(preprocessing.privacyLimits).toBe(limits.kind);
    expect(preprocessing.kThreshold.bounds).toEqual({
      min: limits.minKThreshold,
      max: privacyBounds.kThreshold.max,
    });
    expect(composition.epoch.minSeconds).toBe(limits.minEpochSeconds);
    expect(preprocessing.noise.epsilonPerDayCap).toBe(limits.maxDailyEpsilon);
    expect(preprocessing.noise.epsilonPer30DaysCap).toBe(limits.max30DayEpsilon);
  });

  it('states the store and development limits in its Markdown, from the same constants', async () => {
    const markdown = await readFile(datasheetMarkdownUrl, 'utf8');
    const section = markdown.split('### 4.5')[1]?.split('\n### ')[0] ?? '';
    const store = STORE_LIMITS;
    expect(section).toContain(`k ≥ ${store.minKThreshold}`);
    expect(section).toContain(`epochs of at least ${store.minEpochSeconds / 3600} h`);
    expect(section).toContain(`ε ≤ ${store.maxDailyEpsilon} per day`);
    expect(section).toContain(`ε ≤ ${store.max30DayEpsilon} per 30 days`);
    expect(section).toContain(`k ≥ ${DEVELOPMENT_LIMITS.minKThreshold}`);
    expect(section).toContain(`epochs of at least ${DEVELOPMENT_LIMITS.minEpochSeconds} s`);
  });

  it('is plain JSON that survives a round trip', () => {
    expect(JSON.parse(JSON.stringify(datasheet(STORE_LIMITS)))).toEqual(datasheet(STORE_LIMITS));
  });
});
