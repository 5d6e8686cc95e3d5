import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import type { MessageKey } from './message-key.ts';
import { budgetLines, changeLines, durationText } from './privacy-change-text.ts';

const messages = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, '../../_locales/en/messages.json'), 'utf8'),
) as Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;

/** `chrome.i18n.getMessage` for the English messages. */
function translate(key: MessageKey, ...subs: string[]): string {
  const entry = messages[key]!;
  return entry.message.replace(/\$([A-Za-z_]+)\$/g, (_, name: string) => {
    const content = entry.placeholders?.[name.toLowerCase()]?.content ?? '';
    return subs[Number(content.slice(1)) - 1] ?? '';
  });
}

describe('privacy change sentences', () => {
  it('read as the member sees them', () => {
    expect(
      changeLines(
        [
          { kind: 'rules', category: 289, label: 'Shopping', added: ['example.com'], removed: [] },
          { kind: 'daily-epsilon', from: 2, to: 4 },
          { kind: 'epoch-seconds', from: 86_400, to: 43_200 },
          { kind: 'max-active-seconds', from: 14_400, to: 28_800 },
          { kind: 'k-threshold', from: 50, to: 60 },
          { kind: 'rules', category: 243, label: 'News', added: [], removed: ['a.com', 'b.com'] },
          { kind: 'aggregators', from: null, to: 'union.example.org + helper.example.net' },
        ],
        translate,
      ),
    ).toEqual([
      'Shopping now also counts example.com',
      'daily ε 2 → 4',
      'one report every 1 d → every 12 h',
      'active time counted per category and report, at most 4 h → 8 h',
      'figures published only with at least 50 → 60 members',
      'News no longer counts a.com, b.com',
      'reports go to the union alone (noisy counts) → union.example.org + helper.example.net',
    ]);
  });

  it('format durations in the largest whole unit', () => {
    expect([60, 90, 3600, 5400, 86_400, 604_800].map(durationText)).toEqual([
      '1 min',
      '90 s',
      '1 h',
      '90 min',
      '1 d',
      '7 d',
    ]);
  });
});

describe('budget sentences', () => {
  it('show spent and left against the caps, or say there is no cap', () => {
    expect(
      budgetLines(
        { kind: 'store', day: { spent: 2, cap: 8 }, days30: { spent: 121, cap: 120 } },
        translate,
      ),
    ).toEqual(['Last 24 hours: 2 spent, 6 left of 8', 'Last 30 days: 121 spent, 0 left of 120']);
    expect(
      budgetLines(
        { kind: 'development', day: { spent: 2.333, cap: null }, days30: { spent: 70, cap: null } },
        translate,
      ),
    ).toEqual([
      'Last 24 hours: 2.33 spent (not capped in this build)',
      'Last 30 days: 70 spent (not capped in this build)',
    ]);
  });
});
