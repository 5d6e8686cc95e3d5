/**
 * Whatever a config's domain rules say, a sensitive host is never classified: not a listed site
 * (the shipped sensitive list), not a host whose name trips the word wire, not a subdomain of an
 * innocent rule that is itself sensitive. And no shipped domain rule is lost to the guard.
 */
import { describe, expect, it } from 'vitest';

import { sensitiveHostSubject } from '../protocol/sensitive-hosts.ts';
import { categories } from '../protocol/taxonomy.ts';
import { categoryIds as C } from './category-ids.ts';
import { buildDomainRules, classifyHostname, classifyUrl } from './classify.ts';
import { DOMAIN_LIST } from './domain-list.ts';

/** An unchecked config mapping clinics, dating and adult sites to Shopping. */
const hostile = buildDomainRules([
  {
    id: C.shopping,
    domains: [
      'crowdsell-shop.com',
      'pornhub.com',
      'tinder.com',
      'mayoclinic.org',
      'downtown-clinic.com',
      'bet365.com',
      'quick-loans.co.uk',
    ],
  },
]);

describe('the classifier and sensitive hosts', () => {
  it.each([
    'https://pornhub.com/',
    'https://www.tinder.com/app',
    'https://mayoclinic.org/diseases',
    'https://downtown-clinic.com/',
    'https://sports.bet365.com/',
    'https://quick-loans.co.uk/apply',
  ])('never counts %s, even when a rule maps it to a category', (url) => {
    expect(classifyUrl(url, hostile)).toBeNull();
  });

  it('keeps the innocent rule of the same config', () => {
    expect(classifyUrl('https://crowdsell-shop.com/basket', hostile)).toBe(C.shopping);
  });

  it('does not count a sensitive subdomain under an innocent rule', () => {
    expect(classifyHostname('www.crowdsell-shop.com', hostile)).toBe(C.shopping);
    expect(classifyHostname('casino.crowdsell-shop.com', hostile)).toBeNull();
    expect(classifyHostname('pharmacy.crowdsell-shop.com', hostile)).toBeNull();
  });

  it('loses no shipped domain rule: no shipped host is sensitive', () => {
    expect(DOMAIN_LIST.filter((r) => sensitiveHostSubject(r.host) !== null)).toEqual([]);
    const every = buildDomainRules(categories.map((c) => ({ id: c.id, domains: [] })));
    expect(every.byHost.size).toBe(DOMAIN_LIST.length);
  });
});
