import { readFileSync } from 'node:fs';
import path from 'node:path';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  decodeHashes,
  encodeHashes,
  hostHash,
  listedSensitiveHost,
  sensitiveHostSubject,
  sensitiveKeyword,
  sensitiveSubjects,
} from './sensitive-hosts.ts';

const sourceDir = path.resolve(import.meta.dirname, '../../scripts/sensitive-hosts');
const sourceHosts = (subject: string) =>
  readFileSync(path.join(sourceDir, `${subject}.txt`), 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean);

describe('the shipped sensitive host list', () => {
  it('finds every curated host, and its subdomains, under its own subject', () => {
    for (const subject of sensitiveSubjects) {
      const hosts = sourceHosts(subject);
      expect(hosts.length, subject).toBeGreaterThan(40);
      for (const host of hosts) {
        expect(listedSensitiveHost(host), host).toBe(subject);
        expect(listedSensitiveHost(`www.${host}`), host).toBe(subject);
        expect(listedSensitiveHost(`a.b.${host}`), host).toBe(subject);
      }
    }
  });

  it('does not list a parent of a listed host, nor unrelated sites', () => {
    for (const host of ['com', 'co.uk', 'example.com', 'wikipedia.org', 'bbc.co.uk', 'hub.com']) {
      expect(listedSensitiveHost(host), host).toBeNull();
    }
  });
});

describe('the hashed set encoding', () => {
  it('round-trips any set of 32-bit values, sorted and deduplicated', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { maxLength: 300 }), (xs) => {
        const expected = [...new Set(xs)].sort((a, b) => a - b);
        expect([...decodeHashes(encodeHashes(xs))]).toEqual(expected);
      }),
    );
  });

  it('hashes with 32-bit FNV-1a', () => {
    expect(hostHash('')).toBe(0x811c9dc5);
    expect(hostHash('a')).toBe(0xe40c292c);
    expect(hostHash('foobar')).toBe(0xbf9cf968);
  });
});

describe('the keyword trip-wire', () => {
  it.each([
    ['best-casino-bonus.com', 'gambling'],
    ['bet365.es', 'gambling'],
    ['onlinepokerroom.net', 'gambling'],
    ['freeporntube.net', 'adult'],
    ['city-escorts.com', 'adult'],
    ['gay-dating.de', 'sex-life'],
    ['downtownclinic.org', 'health'],
    ['st-marys-hospital.nhs.uk', 'health'],
    ['cheap-pharmacy.net', 'health'],
    ['first-church.org', 'religion'],
    ['biblestudy.net', 'religion'],
    ['vote-smith.com', 'politics'],
    ['payday-now.com', 'debt'],
    ['quick-loans.co.uk', 'debt'],
  ])('flags %s (%s)', (host, subject) => {
    expect(sensitiveKeyword(host)).toBe(subject);
    expect(sensitiveHostSubject(host)).toBe(subject);
  });

  it.each([
    'essex.ac.uk',
    'sussex.ac.uk',
    'middlesex.ac.uk',
    'mitsloan.mit.edu',
    'sloan.org',
    'churchill.com',
    'xxxlutz.at',
    'alphabet.com',
    'betterment.com',
    'bettys.co.uk',
    'bethesda.net',
    'clinique.com',
    'apartmenttherapy.com',
    'updating.com',
    'experts-exchange.com',
    'adultswim.com',
    'pokemon.com',
    'activecampaign.com',
    'campaignlive.co.uk',
    'creditsuisse.com',
    'bestbuy.com',
    'spokane.gov',
    'scunthorpe-united.co.uk',
  ])('leaves the innocent %s alone', (host) => {
    expect(sensitiveHostSubject(host)).toBeNull();
  });
});
