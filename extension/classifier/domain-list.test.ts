import { getDomain } from 'tldts';
import { describe, expect, it } from 'vitest';

import {
  categories,
  categoryById,
  isSensitiveKey,
  isSensitiveTopicsId,
} from '../protocol/taxonomy.ts';
import { categoryIds } from './category-ids.ts';
import { buildDomainRules, classifyHostname } from './classify.ts';
import { DOMAIN_LIST, DOMAIN_LIST_VERSION } from './domain-list.ts';

const PSL = { allowPrivateDomains: true } as const;
const registrable = DOMAIN_LIST.filter((r) => !r.hostRule);
const hostRules = DOMAIN_LIST.filter((r) => r.hostRule);
const everyCategory = buildDomainRules(categories.map((c) => ({ id: c.id, domains: [] })));

/** Words that would betray a sensitive site; the list is curated by hand, this is a tripwire. */
const SENSITIVE_WORDS =
  /casino|poker|slots|lottery|lotto|bingo|betting|bet365|sportsbook|porn|xxx|sex|escort|dating|tinder|bumble|hinge|grindr|pharma|pharmacy|drugstore|clinic|hospital|medical|health|therapy|webmd|mayoclinic|cancer|diabet|pregnan|fertility|bank|loan|credit|mortgage|insurance|crypto|bitcoin|coinbase|binance|paypal|venmo|klarna|afterpay|church|bible|quran|mosque|synagogue|religio|democrat|republican|labour\.org|conservatives\.com|campaign|election|vote|union\.org|ancestry|23andme|toysrus|lego|mattel|hasbro|parenting|babycenter|kids|prison|mugshot|lawyer|attorney/;

/** Reviewed hits of the tripwire that are not sensitive (a theatre, an estate agent, a tailor …). */
const REVIEWED_FALSE_ALARMS = new Set([
  'activecampaign.com',
  'apartmenttherapy.com',
  'campaignlive.co.uk',
  'coldwellbanker.com',
  'josbank.com',
  'sloanreview.mit.edu',
  'southbankcentre.co.uk',
]);

describe('the shipped domain list', () => {
  it('has a positive integer version and at least 800 domains', () => {
    expect(Number.isInteger(DOMAIN_LIST_VERSION) && DOMAIN_LIST_VERSION > 0).toBe(true);
    expect(registrable.length).toBeGreaterThanOrEqual(800);
  });

  it('names categories by key with the ids the taxonomy gives them, for every shipped category', () => {
    expect(Object.keys(categoryIds).sort()).toEqual(categories.map((c) => c.key).sort());
    for (const [key, id] of Object.entries(categoryIds)) {
      expect(categoryById(id)?.key, key).toBe(key);
    }
  });

  it('maps every entry to a known category that is not sensitive', () => {
    const bad = DOMAIN_LIST.filter(({ categoryId }) => {
      const category = categoryById(categoryId);
      return !category || isSensitiveTopicsId(categoryId) || isSensitiveKey(category.key);
    });
    expect(bad).toEqual([]);
  });

  it('lists every host once', () => {
    const seen = new Set<string>();
    const duplicates = DOMAIN_LIST.filter((r) => seen.size === seen.add(r.host).size);
    expect(duplicates.map((r) => r.host)).toEqual([]);
  });

  it('holds lowercase ASCII host names only', () => {
    const bad = DOMAIN_LIST.filter(({ host }) => !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host));
    expect(bad).toEqual([]);
  });

  it('lists registrable domains, except the flagged host rules', () => {
    const bad = registrable.filter(({ host }) => getDomain(host, PSL) !== host);
    expect(bad).toEqual([]);
  });

  it('flags as host rules only hosts strictly below a registrable domain', () => {
    expect(hostRules.length).toBeGreaterThan(0);
    for (const { host } of hostRules) {
      const domain = getDomain(host, PSL);
      expect(domain, host).not.toBeNull();
      expect(domain, host).not.toBe(host);
    }
  });

  it('gives each host rule a category other than the one its parents would give', () => {
    const withoutHostRules = buildDomainRules(categories.map((c) => ({ id: c.id, domains: [] })));
    const byHost = new Map(withoutHostRules.byHost);
    for (const { host } of hostRules) byHost.delete(host);
    for (const { host, categoryId } of hostRules) {
      expect(classifyHostname(host, { byHost }), host).not.toBe(categoryId);
    }
  });

  it('classifies every listed host to its own category when the config lists every category', () => {
    const bad = DOMAIN_LIST.filter(
      ({ host, categoryId }) =>
        classifyHostname(host, everyCategory) !== categoryId ||
        classifyHostname(`www.${host}`, everyCategory) !== categoryId,
    );
    expect(bad).toEqual([]);
  });

  it('contains no host whose name betrays a sensitive subject', () => {
    const suspicious = DOMAIN_LIST.map((r) => r.host).filter(
      (h) => SENSITIVE_WORDS.test(h) && !REVIEWED_FALSE_ALARMS.has(h),
    );
    expect(suspicious).toEqual([]);
  });
});
