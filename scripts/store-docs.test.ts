/**
 * store/ must say what the code does: the privacy policy names everything docs/privacy.md says
 * never leaves the device, every sensitive topic the extension refuses, and the real privacy
 * defaults; the listing's summary is the manifest description and fits the stores' limits.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import messages from '../_locales/en/messages.json' with { type: 'json' };
import { defaultPrivacy, privacyBounds } from '../extension/protocol/privacy.ts';
import { STORE_LIMITS } from '../extension/protocol/privacy-budget.ts';
import { sensitiveTopicList } from '../extension/protocol/taxonomy-sensitive.ts';

const root = join(import.meta.dirname, '..');
const STORE_FILES = [
  'README.md',
  'listing.md',
  'single-purpose.md',
  'privacy-policy.md',
  'data-use-disclosures.md',
];
const CHROME_SUMMARY_LIMIT = 132;
const AMO_SUMMARY_LIMIT = 250;

const read = (path: string) => readFileSync(join(root, path), 'utf8');
const flat = (text: string) => text.replace(/\s+/g, ' ');
const policy = flat(read('store/privacy-policy.md'));
const privacyDoc = flat(read('docs/privacy.md'));

/** "1 234" as the docs write thousands. */
const grouped = (n: number) => n.toLocaleString('en-US').replace(/,/g, ' ');

/** A regex for `phrase` that also accepts the plural (or singular) of its last word. */
function phrasePattern(phrase: string): RegExp {
  const words = phrase.toLowerCase().split(/\s+/);
  const last = words.pop() ?? '';
  // queries → query, cookies → cookie: accept either singular and the plural.
  const stem = last.endsWith('ies')
    ? `${last.slice(0, -3)}(?:y|ie|ies)`
    : last.endsWith('y')
      ? `${last.slice(0, -1)}(?:y|ies)`
      : `${last.replace(/s$/, '')}s?`;
  return new RegExp(`\\b${[...words, stem].join('\\s+')}\\b`, 'i');
}

/** The comma/"or"-separated items of `list`: "A, B or C" → [A, B, C]. */
const items = (list: string) =>
  list
    .split(/,|\bor\b/)
    .map((item) => item.trim())
    .filter(Boolean);

describe('store/', () => {
  it('has every file of the submission kit, none empty', () => {
    for (const file of STORE_FILES) {
      const path = join(root, 'store', file);
      expect(existsSync(path), `store/${file}`).toBe(true);
      expect(read(`store/${file}`).trim().length, `store/${file}`).toBeGreaterThan(200);
    }
  });

  it('links only to files that exist', () => {
    for (const file of STORE_FILES) {
      for (const [, target] of read(`store/${file}`).matchAll(/\]\(((?!https?:)[^)#]+)\)/g)) {
        expect(existsSync(join(root, 'store', target!)), `${file} → ${target}`).toBe(true);
      }
    }
  });
});

describe('store/privacy-policy.md', () => {
  it('names everything docs/privacy.md says never leaves the device (§1)', () => {
    const sentence = /No (.+?) ever leaves the device/.exec(privacyDoc);
    expect(sentence, 'docs/privacy.md §1 sentence').not.toBeNull();
    const never = items(sentence![1]!);
    expect(never).toEqual(['URL', 'host name', 'page title', 'search query', 'page content']);
    for (const item of never) expect(policy, item).toMatch(phrasePattern(item));
  });

  it('names everything docs/privacy.md lists as never collected (§6)', () => {
    const section = privacyDoc.slice(privacyDoc.indexOf('## 6. What is never collected'));
    const bullet = /- \*\*(.+?)\*\*:/.exec(section);
    expect(bullet, 'docs/privacy.md §6 first bullet').not.toBeNull();
    const never = items(bullet![1]!);
    expect(never.length).toBeGreaterThanOrEqual(8);
    for (const item of never) expect(policy, item).toMatch(phrasePattern(item));
  });

  it('names every sensitive topic the extension refuses', () => {
    for (const topic of sensitiveTopicList) {
      expect(policy.toLowerCase(), topic.key).toContain(topic.label.toLowerCase());
    }
  });

  it('quotes the real privacy defaults and bounds (extension/protocol/privacy.ts)', () => {
    expect(policy).toContain(`ε = ${defaultPrivacy.epsilon} per member per period`);
    expect(policy).toContain(`page loads at ${defaultPrivacy.maxVisits}`);
    expect(policy).toContain(`active seconds at ${grouped(defaultPrivacy.maxActiveSeconds)}`);
    expect(policy).toContain(`at least **${defaultPrivacy.kThreshold}** members`);
    expect(policy).toContain(`ε above ${privacyBounds.epsilon.max}`);
    expect(policy).toContain(`threshold below ${STORE_LIMITS.minKThreshold}`);
    expect(policy).toContain(`more than ${STORE_LIMITS.maxDailyEpsilon} ε in a day`);
    expect(policy).toContain(
      `more than ${STORE_LIMITS.maxDailyEpsilon} in any 24 hours or ${STORE_LIMITS.max30DayEpsilon} in any 30 days`,
    );
    expect(policy).toContain(`shorter than an hour`);
    expect(STORE_LIMITS.minEpochSeconds).toBe(3600);
  });

  it('uses the same ε and k wherever the store texts quote them', () => {
    const all = STORE_FILES.map((file) => flat(read(`store/${file}`))).join(' ');
    for (const [, value] of all.matchAll(/ε = (\d+(?:\.\d+)?)/g)) {
      expect(Number(value)).toBe(defaultPrivacy.epsilon);
    }
    for (const [, value] of all.matchAll(/at least \**(\d+)\** members/g)) {
      expect(Number(value)).toBe(defaultPrivacy.kThreshold);
    }
  });
});

describe('store/listing.md', () => {
  const listing = read('store/listing.md');
  const summary = /<!-- summary:start -->\s*([\s\S]*?)\s*<!-- summary:end -->/.exec(listing)?.[1];

  it('has a summary that fits both stores', () => {
    expect(summary).toBeDefined();
    expect(summary!.length).toBeLessThanOrEqual(CHROME_SUMMARY_LIMIT);
    expect(summary!.length).toBeLessThanOrEqual(AMO_SUMMARY_LIMIT);
    expect(summary).not.toContain('\n');
  });

  it('uses the manifest description as the summary (Chrome shows the manifest one)', () => {
    expect(summary).toBe(messages.extensionDescription.message);
  });

  it('lists screenshots the e2e suite actually takes', () => {
    const e2e = ['popup-onboarding.spec.ts', 'popup-backup.spec.ts', 'money-loop.spec.ts']
      .map((file) => join(root, 'test', 'e2e', file))
      .filter((path) => existsSync(path))
      .map((path) => readFileSync(path, 'utf8'))
      .join('\n');
    const listed = [...listing.matchAll(/`([a-z-]+)\.png`/g)].map((match) => match[1]!);
    expect(listed.length).toBeGreaterThan(0);
    for (const name of listed) expect(e2e, `${name}.png`).toContain(`'${name}'`);
  });
});
