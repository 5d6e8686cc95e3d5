import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { categories } from '../protocol/taxonomy.ts';
import { buildDomainRules, classifyHostname, classifyUrl } from './classify.ts';
import { DOMAIN_LIST } from './domain-list.ts';

const rules = buildDomainRules(categories.map((c) => ({ id: c.id, domains: [] })));
const produced = new Set(rules.byHost.values());

const listedHosts = DOMAIN_LIST.map((r) => r.host);
const host = fc.oneof(
  fc.constantFrom(...listedHosts),
  fc.constantFrom(...listedHosts).map((h) => `www.${h}`),
  fc.constantFrom(...listedHosts).map((h) => h.toUpperCase()),
  fc.constantFrom(
    'unlisted-site.xyz',
    'someone.github.io',
    'münchen.de',
    'localhost',
    'intranet',
    'printer.local',
    '127.0.0.1',
    '[::1]',
    '0x7f.1',
    '0x7f000001',
    '[2001:db8::1]',
    'co.uk',
    'bbc.co.uk.',
    'BBC。co。uk',
    'bb%63.co.uk',
    'MÜNCHEN.de',
    'xn--mnchen-3ya.de',
  ),
);
const userinfo = fc.option(fc.stringMatching(/^[a-z0-9]{1,8}(:[a-z0-9]{0,8})?@$/), { nil: '' });
const port = fc.option(
  fc.integer({ min: 1, max: 65_535 }).map((p) => `:${p}`),
  { nil: '' },
);
const rest = fc.string({ unit: 'grapheme', maxLength: 60 });
const tail = fc.oneof(
  rest.map((s) => `/${s}`),
  rest.map((s) => `/?${s}`),
  rest.map((s) => `/#${s}`),
  fc.constantFrom(...listedHosts).map((h) => `/https://${h}/`),
);
/** Any code points, surrogates and controls included (fast-check's 'binary' unit is far slower). */
const anyText = fc.string({
  unit: fc.integer({ min: 0, max: 0x10_ffff }).map((c) => String.fromCodePoint(c)),
  maxLength: 60,
});
const url = fc
  .tuple(fc.constantFrom('http://', 'https://', 'HTTPS://'), userinfo, host, port, tail)
  .map((parts) => parts.join(''));

describe('classifyUrl, for any input', () => {
  it('never throws and gives null or a category the rules can produce', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, url), (input) => {
        const result = classifyUrl(input, rules);
        const byHost = classifyHostname(input, rules);
        return (
          (result === null || produced.has(result)) && (byHost === null || produced.has(byHost))
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('agrees with the host the WHATWG URL parser finds', () => {
    fc.assert(
      fc.property(url, (u) => {
        let expected: number | null;
        try {
          expected = classifyHostname(new URL(u).hostname, rules);
        } catch {
          expected = null;
        }
        expect(classifyUrl(u, rules), u).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('depends on the host only: whatever follows it changes nothing', () => {
    fc.assert(
      fc.property(host, tail, tail, (h, a, b) => {
        expect(classifyUrl(`https://${h}${a}`, rules)).toBe(classifyUrl(`https://${h}${b}`, rules));
      }),
      { numRuns: 1000 },
    );
  });
});
