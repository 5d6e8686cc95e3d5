import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { categories } from '../protocol/taxonomy.ts';
import { categoryIds as C } from './category-ids.ts';
import { buildDomainRules, classifyUrl } from './classify.ts';

const listing = (...ids: number[]) => ids.map((id) => ({ id, domains: [] as string[] }));

describe('buildDomainRules', () => {
  it('produces no rule at all when the config lists no category', () => {
    const rules = buildDomainRules([]);
    expect(rules.byHost.size).toBe(0);
    expect(classifyUrl('https://www.bbc.co.uk/', rules)).toBeNull();
  });

  it('lets an admin rule win over the shipped rule for the same host', () => {
    const rules = buildDomainRules([
      { id: C.shopping, domains: [] },
      { id: C.news, domains: ['amazon.co.uk'] },
    ]);
    expect(classifyUrl('https://www.amazon.co.uk/', rules)).toBe(C.news);
    expect(classifyUrl('https://www.amazon.com/', rules)).toBe(C.shopping);
  });

  it('applies the most specific rule, whoever wrote it', () => {
    const rules = buildDomainRules([
      { id: C.news, domains: ['google.com'] },
      { id: C.sports, domains: ['sport.bbc.co.uk'] },
      { id: C['travel-transportation'], domains: [] },
    ]);
    expect(classifyUrl('https://www.google.com/', rules)).toBe(C.news);
    expect(classifyUrl('https://maps.google.com/', rules)).toBe(C['travel-transportation']);
    expect(classifyUrl('https://www.sport.bbc.co.uk/', rules)).toBe(C.sports);
    expect(classifyUrl('https://www.bbc.co.uk/sport', rules)).toBe(C.news);
  });

  it('lets the first category in config order win when two list the same host', () => {
    const rules = buildDomainRules([
      { id: C.sports, domains: ['crowdsell-fixture.xyz'] },
      { id: C.news, domains: ['crowdsell-fixture.xyz'] },
    ]);
    expect(classifyUrl('https://crowdsell-fixture.xyz/', rules)).toBe(C.sports);
  });

  it('matches an admin rule on its subdomains too', () => {
    const rules = buildDomainRules([{ id: C.news, domains: ['crowdsell-fixture.xyz'] }]);
    expect(classifyUrl('https://a.b.crowdsell-fixture.xyz/', rules)).toBe(C.news);
  });

  it('counts a shipped rule for the nearest listed ancestor of its category', () => {
    expect(classifyUrl('https://netflix.com/', buildDomainRules(listing(C['tv-video'])))).toBe(
      C['tv-video'],
    );
    expect(
      classifyUrl('https://netflix.com/', buildDomainRules(listing(C['arts-entertainment']))),
    ).toBe(C['arts-entertainment']);
    const rules = buildDomainRules(listing(C['computers-electronics']));
    expect(classifyUrl('https://docs.google.com/', rules)).toBe(C['computers-electronics']);
    expect(classifyUrl('https://www.google.com/', rules)).toBeNull();
  });

  it('drops a shipped rule when neither its category nor an ancestor is listed', () => {
    const rules = buildDomainRules(listing(C.news));
    expect(classifyUrl('https://netflix.com/', rules)).toBeNull();
    expect(classifyUrl('https://www.amazon.co.uk/', rules)).toBeNull();
    expect(classifyUrl('https://www.bbc.co.uk/', rules)).toBe(C.news);
  });

  it('never produces a sensitive or unknown category, even if a config names one', () => {
    const rules = buildDomainRules([
      { id: 149, domains: ['bbc.co.uk'] }, // /Finance: sensitive
      { id: 345, domains: ['netflix.com'] }, // a Topics id we do not ship
      { id: 60_000, domains: ['amazon.com'] },
    ]);
    expect(rules.byHost.size).toBe(0);
  });

  it('normalises admin rules and drops those that could never match', () => {
    const rules = buildDomainRules([
      {
        id: C.news,
        domains: ['Crowdsell-Fixture.XYZ.', 'münchen.de', '127.0.0.1', 'localhost', 'co.uk', ''],
      },
    ]);
    expect(rules.byHost.get('crowdsell-fixture.xyz')).toBe(C.news);
    expect(rules.byHost.get('xn--mnchen-3ya.de')).toBe(C.news);
    for (const dropped of [
      'Crowdsell-Fixture.XYZ.',
      'münchen.de',
      '127.0.0.1',
      'localhost',
      'co.uk',
    ]) {
      expect(rules.byHost.has(dropped), dropped).toBe(false);
    }
  });

  it('can only ever produce a category the config lists', () => {
    const ids = categories.map((c) => c.id);
    fc.assert(
      fc.property(fc.subarray(ids), (listed) => {
        const allowed = new Set(listed);
        for (const id of buildDomainRules(listing(...listed)).byHost.values()) {
          if (!allowed.has(id)) return false;
        }
        return true;
      }),
      { numRuns: 60 },
    );
  });
});
