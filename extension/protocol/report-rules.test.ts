import { describe, expect, it } from 'vitest';

import type { UnionConfig } from './config.ts';
import { defaultPrivacy, noisyValueRange } from './privacy.ts';
import { checkReportRules } from './report-rules.ts';
import { categories } from './taxonomy.ts';
import type { Report } from './wire.ts';

const [a, b, c] = [...categories].sort((x, y) => x.id - y.id);
const config: UnionConfig = {
  version: 3,
  issuedAt: 0,
  epochSeconds: 3600,
  categories: [a!, b!].map((x) => ({
    id: x.id,
    key: x.key,
    label: x.label,
    description: x.description,
    domains: [],
  })),
  privacy: { ...defaultPrivacy },
  minExtensionVersion: '0.1.0',
};
const now = 1_800_000_000;
const report = (overrides: Partial<Report> = {}): Report => ({
  member: `0x${'12'.repeat(20)}`,
  epochStart: now - (now % 3600) - 3600,
  epochSeconds: 3600,
  configVersion: 3,
  counts: [{ category: a!.id, visits: 1, activeSeconds: 60 }],
  ...overrides,
});
const codeOf = (r: Report, cfg: UnionConfig | null = config, nowSeconds = now) => {
  try {
    checkReportRules(r, { config: cfg ?? undefined, nowSeconds });
    return null;
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('report acceptance rules', () => {
  it('accepts a closed, aligned epoch of the named config with listed categories', () => {
    expect(codeOf(report())).toBeNull();
  });

  it('refuses unknown configs, wrong epoch lengths, misaligned, open and too-old epochs', () => {
    expect(codeOf(report(), null)).toBe('REPORT_UNKNOWN_CONFIG');
    expect(codeOf(report({ configVersion: 2 }))).toBe('REPORT_UNKNOWN_CONFIG');
    expect(codeOf(report({ epochSeconds: 7200, epochStart: 0 }))).toBe('REPORT_EPOCH_LENGTH');
    expect(codeOf(report({ epochStart: report().epochStart + 1 }))).toBe('REPORT_EPOCH_MISALIGNED');
    const current = now - (now % 3600);
    expect(codeOf(report({ epochStart: current }), config, current + 3600 - 61)).toBe(
      'REPORT_EPOCH_NOT_CLOSED',
    );
    expect(codeOf(report({ epochStart: current }), config, current + 3600 - 60)).toBeNull();
    const old = current - 7 * 86_400 - 3600;
    expect(codeOf(report({ epochStart: old }), config, current)).toBeNull();
    expect(codeOf(report({ epochStart: old - 3600 }), config, current)).toBe(
      'REPORT_EPOCH_TOO_OLD',
    );
  });

  it('refuses empty reports and categories the config does not list', () => {
    expect(codeOf(report({ counts: [] }))).toBe('REPORT_EMPTY');
    expect(codeOf(report({ counts: [{ category: c!.id, visits: 0, activeSeconds: 0 }] }))).toBe(
      'REPORT_UNKNOWN_CATEGORY',
    );
  });

  it('refuses a sensitive category even if a config somehow listed it', () => {
    const poisoned = { ...config, categories: [{ ...config.categories[0]!, key: 'health' }] };
    expect(codeOf(report(), poisoned)).toBe('REPORT_SENSITIVE_CATEGORY');
  });

  it('accepts values exactly at the noisy range ends and refuses one beyond (D-001)', () => {
    for (const n of [1, 2]) {
      const counts = config.categories
        .slice(0, n)
        .map((x) => ({ category: x.id, visits: 0, activeSeconds: 0 }));
      const visits = noisyValueRange(config.privacy, config.privacy.maxVisits, n);
      const seconds = noisyValueRange(config.privacy, config.privacy.maxActiveSeconds, n);
      const withFirst = (v: number, s: number) =>
        report({ counts: [{ ...counts[0]!, visits: v, activeSeconds: s }, ...counts.slice(1)] });
      expect(codeOf(withFirst(visits.min, seconds.max))).toBeNull();
      expect(codeOf(withFirst(visits.max, seconds.min))).toBeNull();
      expect(codeOf(withFirst(visits.min - 1, 0))).toBe('REPORT_VALUE_OUT_OF_RANGE');
      expect(codeOf(withFirst(visits.max + 1, 0))).toBe('REPORT_VALUE_OUT_OF_RANGE');
      expect(codeOf(withFirst(0, seconds.max + 1))).toBe('REPORT_VALUE_OUT_OF_RANGE');
      expect(codeOf(withFirst(0, seconds.min - 1))).toBe('REPORT_VALUE_OUT_OF_RANGE');
    }
  });
});
