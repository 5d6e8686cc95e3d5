import { describe, expect, it } from 'vitest';

import { decodeCsv } from './export/decode.ts';
import { encodeCsv } from './export/csv.ts';
import type { ProductRow, PublishedRow } from './product-row.ts';
import { periodBounds, publicSample } from './sample.ts';
import { sampleTable } from './sample-row.ts';
import { simulatedRows } from './testing/product-rows.ts';

const iso = (s: string) => Date.parse(s) / 1000;

function cell(epochStart: string, contributors: number, visits: number, se: number): PublishedRow {
  const estimate = (prefix: 'visits' | 'active_seconds', total: number) => ({
    [`${prefix}_total`]: total,
    [`${prefix}_total_se`]: se,
    [`${prefix}_total_ci_low`]: total - 2 * se,
    [`${prefix}_total_ci_high`]: total + 2 * se,
    [`${prefix}_mean`]: total / contributors,
    [`${prefix}_mean_se`]: se / contributors,
    [`${prefix}_mean_ci_low`]: 0,
    [`${prefix}_mean_ci_high`]: 0,
  });
  return {
    epoch_start: epochStart,
    epoch_seconds: 86_400,
    category_id: 289,
    category_key: 'shopping',
    mode: 'plain',
    suppressed: false,
    k_threshold: 50,
    contributors,
    reporting_members: 1000,
    share_contributing: contributors / 1000,
    visits_clip: 50,
    active_seconds_clip: 14_400,
    ...estimate('visits', visits),
    ...estimate('active_seconds', visits * 100),
  } as PublishedRow;
}

describe('periodBounds', () => {
  it('starts weeks on Monday 00:00 UTC and months on the 1st', () => {
    // 2026-01-01 is a Thursday.
    expect(periodBounds('week', iso('2026-01-01T13:00:00Z'))).toEqual([
      iso('2025-12-29T00:00:00Z'),
      iso('2026-01-05T00:00:00Z'),
    ]);
    expect(periodBounds('month', iso('2026-02-28T23:59:59Z'))).toEqual([
      iso('2026-02-01T00:00:00Z'),
      iso('2026-03-01T00:00:00Z'),
    ]);
  });
});

describe('publicSample', () => {
  const rows: ProductRow[] = [
    cell('2026-01-03T00:00:00Z', 60, 1234.5, 300),
    cell('2026-01-04T00:00:00Z', 90, 2000, 400),
    {
      epoch_start: '2026-01-05T00:00:00Z',
      epoch_seconds: 86_400,
      category_id: 289,
      category_key: 'shopping',
      mode: 'plain',
      suppressed: true,
    },
    cell('2026-03-02T00:00:00Z', 70, 5000, 300),
  ];

  it('adds published totals and their variances per month, rounds them, and skips suppressed cells', async () => {
    const [january, ...rest] = await publicSample(rows, {
      period: 'month',
      cutoff: iso('2026-03-01T00:00:00Z'),
    });
    expect(rest).toEqual([]);
    expect(january).toMatchObject({
      period: 'month',
      period_start: '2026-01-01T00:00:00Z',
      period_end: '2026-02-01T00:00:00Z',
      category_id: 289,
      epochs: 2,
      member_epochs: 150,
      visits_total: 3230, // 3234.5 to 3 significant digits
      visits_total_se: 500, // √(300² + 400²)
      visits_mean: 21.6, // 3234.5 / 150
      visits_mean_se: 3.3,
      active_seconds_total: 323_000,
    });
  });

  it('leaves out every period that has not ended before the cutoff', async () => {
    const sample = await publicSample(rows, {
      period: 'month',
      cutoff: iso('2026-01-31T00:00:00Z'),
    });
    expect(sample).toEqual([]);
  });

  it('accounts for every published member-epoch of the included periods, and reads back from CSV', async () => {
    const product = simulatedRows(60, 3); // 2026-01-01 … 2026-03-01
    const cutoff = iso('2026-03-01T00:00:00Z');
    const sample = await publicSample(product, { period: 'week', cutoff });
    const included = product.filter(
      (r): r is PublishedRow =>
        !r.suppressed && periodBounds('week', iso(r.epoch_start))[1] <= cutoff,
    );
    expect(sample.reduce((n, r) => n + r.member_epochs, 0)).toBe(
      included.reduce((n, r) => n + r.contributors, 0),
    );
    expect(sample.every((r) => r.period_end <= '2026-03-01T00:00:00Z')).toBe(true);
    let csv = '';
    for await (const chunk of encodeCsv(sample, sampleTable))
      csv += new TextDecoder().decode(chunk);
    expect(decodeCsv(csv, sampleTable)).toEqual(sample);
  });
});
