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
import { MAX_SEND_DELAY_MS } from '../extension/outbox/send-time.ts';
import { DEFAULT_ACCEPTANCE_WINDOW_SECONDS } from '../extension/protocol/report-rules.ts';
import { sensitiveTopicList } from '../extension/protocol/taxonomy-sensitive.ts';
import { DEFAULT_ACTIVITY_BATCH_SECONDS } from '../union/domain/activity-batch.ts';

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

/** Markdown without its blockquote markers (the listing quotes its text to paste). */
const unquote = (text: string) => text.replace(/^> ?/gm, '');

describe('issue 15: the texts claim no more than the code enforces', () => {
  // store/README.md quotes the stores' own policy wording ("aggregated, anonymised …").
  const claims = [
    ...STORE_FILES.filter((file) => file !== 'README.md').map((file) => `store/${file}`),
    'README.md',
    'docs/privacy.md',
    'docs/threat-model.md',
    'docs/datasheet.md',
  ].map((path) => ({ path, text: flat(unquote(read(path))) }));
  const onboarding = Object.entries(messages)
    .filter(([key]) => /^(extensionDescription|onboarding|disclose|consent)/.test(key))
    .map(([key, value]) => ({ path: `messages.json ${key}`, text: value.message }));
  const listing = flat(unquote(read('store/listing.md')));
  const disclosure = onboarding.map((m) => m.text).join(' ');
  /** ε of the default config over 30 days: ε per epoch × one epoch a day (DESIGN §3) × 30. */
  const cumulative30 = defaultPrivacy.epsilon * 30;

  it('never calls the reports anonymous or promises what differencing used to break', () => {
    for (const { path, text } of [...claims, ...onboarding]) {
      expect(text, path).not.toMatch(/anonymi[sz]ed|(?<!(?:not |k-))\banonymous\b/i);
      expect(text, path).not.toMatch(/no buyer ever sees/i);
      expect(text, path).not.toMatch(/no browsing timeline/i);
      expect(text, path).not.toMatch(/opt-in choices[^.]*never published/i);
    }
  });

  it('says the reports are pseudonymous and linkable by the union, in the policy, listing and onboarding', () => {
    for (const text of [policy, listing, disclosure, privacyDoc]) {
      expect(text).toMatch(/pseudonymous, not anonymous/i);
      expect(text).toMatch(/\blinks? (all )?(of )?your reports/i);
    }
  });

  it('quotes the cumulative ε over 30 days and the 30-day cap the device enforces', () => {
    expect(cumulative30).toBe(60);
    for (const text of [policy, listing, privacyDoc]) {
      expect(text).toContain(`cumulative ε of ${cumulative30}`);
    }
    expect(policy).toContain(`at most ${STORE_LIMITS.max30DayEpsilon} in any 30 days`);
    expect(disclosure).toContain(
      `${STORE_LIMITS.maxDailyEpsilon} in a day or ${STORE_LIMITS.max30DayEpsilon} in 30 days (${cumulative30} in 30 days at the default)`,
    );
  });

  it('says each period is published once, after the acceptance window, with rounded counts', () => {
    const days = DEFAULT_ACCEPTANCE_WINDOW_SECONDS / 86_400;
    expect(policy).toContain(
      `published once, after the union stops accepting reports for it (${days} days after it ends`,
    );
    expect(policy).toContain('member counts rounded to tens');
    expect(listing).toContain('published once');
    expect(disclosure).toContain('published once per day');
    expect(disclosure).toContain('member counts rounded to tens');
  });

  it('quotes the real send delay, withholding and the request log', () => {
    expect(policy).toContain(
      `up to ${MAX_SEND_DELAY_MS / 3_600_000} hours after its period is closed`,
    );
    expect(policy).toContain('withhold it');
    expect(policy).toContain('every request the extension made to the union');
  });

  it('says who sees activity: the accounting log, to the day, as the activity batches publish it', () => {
    expect(DEFAULT_ACTIVITY_BATCH_SECONDS).toBe(86_400);
    expect(policy).toContain('when it started and stopped contributing, to the day');
    expect(disclosure).toContain('is public, to the day');
  });
});

describe('issue 17: the texts describe private aggregation as the code does it', () => {
  const policyText = flat(read('store/privacy-policy.md'));
  const listingText = flat(unquote(read('store/listing.md')));
  const disclosureText = Object.entries(messages)
    .filter(([key]) => key.startsWith('disclose'))
    .map(([, value]) => value.message)
    .join(' ');

  it('say each organisation gets one encrypted share neither can read alone, and that collusion breaks it', () => {
    for (const text of [policyText, listingText, disclosureText, privacyDoc]) {
      expect(text).toMatch(/two encrypted shares|two secret shares/i);
      expect(text).toMatch(/neither (alone )?can read/i);
      expect(text).toMatch(/work(ed|ing)? together|collu(de|ded|sion)\b/i);
    }
    expect(messages.dapWhoReads.message).toContain(
      'The union and the helper each receive one encrypted share; neither alone can read it.',
    );
  });

  it('say off categories are sent as zeros under two aggregators', () => {
    for (const text of [policyText, disclosureText, privacyDoc]) {
      expect(text).toMatch(/zeros for (the categories |those |every category )?you have off/i);
    }
  });

  it('justify every permission the manifest asks for', () => {
    const manifest = JSON.parse(read('manifest.json')) as { permissions: string[] };
    const disclosures = read('store/data-use-disclosures.md');
    expect(manifest.permissions).toContain('offscreen');
    for (const permission of manifest.permissions) {
      expect(disclosures, permission).toContain(`| \`${permission}\``);
    }
  });
});
