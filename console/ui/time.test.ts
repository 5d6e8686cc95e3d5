import { describe, expect, it } from 'vitest';

import { formatRelative, formatSpan, formatUtcTime } from './time.ts';

describe('console time formatting', () => {
  it('shows UTC with seconds for the hover text', () => {
    expect(formatUtcTime(0)).toBe('1970-01-01 00:00:00 UTC');
    expect(formatUtcTime(1_764_072_000)).toBe('2025-11-25 12:00:00 UTC');
  });

  it.each([
    [30, 'in 30 s'],
    [-90, '2 min ago'],
    [7200, 'in 2 h'],
    [-3 * 86_400, '3 days ago'],
  ])('describes an offset of %i s as “%s”', (offset, text) => {
    expect(formatRelative(1000 + offset, 1000)).toBe(text);
  });

  it.each([
    [605_100, '7 days 5 min'],
    [86_400, '1 day'],
    [3600, '1 h'],
    [90, '1 min 30 s'],
    [0, '0 s'],
  ])('writes a span of %i s as “%s”', (seconds, text) => {
    expect(formatSpan(seconds)).toBe(text);
  });
});
