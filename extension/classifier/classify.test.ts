import { describe, expect, it } from 'vitest';

import { categories } from '../protocol/taxonomy.ts';
import { categoryIds as C } from './category-ids.ts';
import { buildDomainRules, classifyHostname, classifyUrl } from './classify.ts';

/** The shipped list with every category listed, plus two admin rules for the cases below. */
const rules = buildDomainRules(
  categories.map((c) => ({
    id: c.id,
    domains:
      c.id === C.news
        ? ['xn--mnchen-3ya.de', 'someone.github.io']
        : c.id === C.shopping
          ? ['github.io', 'shop.vercel.app']
          : [],
  })),
);

type Row = readonly [url: string, expected: number | null];

const cases: Record<string, readonly Row[]> = {
  'subdomains match the nearest listed parent, never a look-alike': [
    ['https://bbc.co.uk/', C.news],
    ['https://www.bbc.co.uk/news/uk', C.news],
    ['https://a.b.c.bbc.co.uk/', C.news],
    ['https://maps.google.com/', C['travel-transportation']],
    ['https://eu.maps.google.com/x', C['travel-transportation']],
    ['https://www.google.com/maps/place/x', C['internet-telecom']],
    ['https://notbbc.co.uk/', null],
    ['https://bbc.co.uk.unlisted-site.xyz/', null],
  ],
  'public suffixes (co.uk, com.au, ac.uk) are respected': [
    ['https://amazon.co.uk/', C.shopping],
    ['https://www.amazon.com.au/', C.shopping],
    ['https://abc.net.au/news', C['tv-video']],
    ['https://www.cs.ox.ac.uk/', C['colleges-universities']],
    ['https://co.uk/', null],
    ['https://com.au/', null],
    ['https://ac.uk/', null],
    ['https://uk/', null],
  ],
  'private suffixes make every user subdomain its own site': [
    ['https://github.com/someone', C['web-design-development']],
    ['https://someone.github.io/', C.news],
    ['https://www.someone.github.io/', C.news],
    ['https://other.github.io/', null],
    ['https://github.io/', null],
    ['https://shop.vercel.app/', C.shopping],
    ['https://app.vercel.app/', null],
    ['https://anyone.blogspot.com/', null],
  ],
  'IP addresses, in any notation, are never classified': [
    ['http://127.0.0.1/', null],
    ['http://192.168.1.1:8080/admin', null],
    ['http://8.8.8.8/', null],
    ['http://[::1]/', null],
    ['http://[2001:db8::1]:443/', null],
    ['http://[::ffff:127.0.0.1]/', null],
    ['http://127.1/', null],
    ['http://0x7f.0.0.1/', null],
    ['http://0x7f000001/', null],
    ['http://2130706433/', null],
    ['http://017700000001/', null],
  ],
  'localhost, intranet and special-use names are never classified': [
    ['http://localhost/', null],
    ['http://localhost:3000/', null],
    ['http://app.localhost/', null],
    ['http://LOCALHOST./', null],
    ['http://intranet/', null],
    ['http://printer.local/', null],
    ['http://nas.lan/', null],
    ['http://git.internal/', null],
    ['http://router.home.arpa/', null],
    ['http://site.test/', null],
    ['http://site.example/', null],
    ['http://x.invalid/', null],
    ['http://jira.corp/', null],
    ['http://www.example.com/', null],
    ['http://abcdefghijklmnop.onion/', null],
  ],
  'internationalised names are matched in their punycode form': [
    ['https://münchen.de/', C.news],
    ['https://MÜNCHEN.DE/', C.news],
    ['https://xn--mnchen-3ya.de/', C.news],
    ['https://www.münchen.de/', C.news],
    ['https://bbc。co。uk/', C.news],
    ['https://bb%63.co.uk/', C.news],
    ['https://ünlisted.de/', null],
  ],
  'ports, case, trailing dots and userinfo do not change the host': [
    ['https://www.bbc.co.uk:443/', C.news],
    ['http://bbc.co.uk:8080/x', C.news],
    ['HTTPS://WWW.BBC.CO.UK/NEWS', C.news],
    ['https://www.bbc.co.uk./', C.news],
    ['https://user:pass@www.bbc.co.uk/', C.news],
    ['https://www.bbc.co.uk@unlisted-site.xyz/', null],
    ['https://amazon.com:secret@bbc.co.uk/', C.news],
    ['  https://bbc.co.uk/', C.news],
    ['https://bbc\t.co.uk/', C.news],
  ],
  'only http and https URLs are classified': [
    ['data:text/html,https://bbc.co.uk/', null],
    ['file:///home/me/bbc.co.uk/index.html', null],
    ['file://bbc.co.uk/share', null],
    ['chrome://settings/', null],
    ['chrome-extension://abcdefghijklmnop/popup.html', null],
    ['about:blank', null],
    ['javascript:location="https://bbc.co.uk"', null],
    ['view-source:https://bbc.co.uk/', null],
    ['blob:https://bbc.co.uk/0b1f', null],
    ['ftp://bbc.co.uk/', null],
    ['wss://bbc.co.uk/', null],
    ['mailto:someone@bbc.co.uk', null],
    ['bbc.co.uk', null],
    ['//bbc.co.uk/news', null],
  ],
  'the path, query and fragment never change the result': [
    ['https://unlisted-site.xyz/https://bbc.co.uk/', null],
    ['https://unlisted-site.xyz/?u=https://bbc.co.uk/', null],
    ['https://unlisted-site.xyz/#bbc.co.uk', null],
    ['https://unlisted-site.xyz/bbc.co.uk@netflix.com', null],
    ['https://www.amazon.co.uk/redirect?to=https://netflix.com/', C.shopping],
    ['https://netflix.com\\@amazon.co.uk/', C['movie-tv-streaming']],
  ],
  'very long inputs are handled': [
    [`https://bbc.co.uk/${'a'.repeat(1_000_000)}`, C.news],
    [`https://${'a'.repeat(100_000)}.com/`, null],
    [`https://${'a'.repeat(64)}.bbc.co.uk/`, null],
    [`https://${'a.'.repeat(130)}bbc.co.uk/`, null],
    [`https://${'ü'.repeat(10_000)}.de/`, null],
  ],
  'garbage gives null': [
    ['', null],
    [' ', null],
    ['https://', null],
    ['https:///', null],
    ['http://:80/', null],
    ['https://@/', null],
    ['https://./', null],
    ['https://..bbc.co.uk/', null],
    ['https://bb c.co.uk/', null],
    ['https://-bbc.co.uk/', null],
    ['https://bbc.co.uk%00.evil.com/', null],
    ['https://[bbc.co.uk]/', null],
    ['%%%', null],
    ['\u0000', null],
  ],
};

describe('classifyUrl', () => {
  for (const [behaviour, rows] of Object.entries(cases)) {
    it(behaviour, () => {
      for (const [url, expected] of rows) {
        expect(classifyUrl(url, rules), url.slice(0, 80)).toBe(expected);
      }
    });
  }

  it('returns null instead of throwing for values that are not strings', () => {
    const values: unknown[] = [undefined, null, 42, {}, []];
    for (const value of values) {
      expect(classifyUrl(value as string, rules)).toBeNull();
    }
  });
});

describe('classifyHostname', () => {
  it('accepts host names as URL.hostname gives them', () => {
    expect(classifyHostname('www.bbc.co.uk', rules)).toBe(C.news);
    expect(classifyHostname('WWW.BBC.CO.UK.', rules)).toBe(C.news);
    expect(classifyHostname('münchen.de', rules)).toBe(C.news);
    expect(classifyHostname('maps.google.com', rules)).toBe(C['travel-transportation']);
    expect(classifyHostname('someone.github.io', rules)).toBe(C.news);
  });

  it('refuses anything that is not a bare public host name', () => {
    for (const host of [
      '',
      'bbc.co.uk:443',
      'user@bbc.co.uk',
      'bbc.co.uk/news',
      'https://bbc.co.uk',
      ' bbc.co.uk',
      '127.0.0.1',
      '::1',
      '[::1]',
      'localhost',
      'intranet',
      'printer.local',
      'co.uk',
      'github.io',
      'x'.repeat(5000),
    ]) {
      expect(classifyHostname(host, rules), host.slice(0, 40)).toBeNull();
    }
  });
});
