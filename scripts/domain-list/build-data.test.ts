import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  decodeDomainRules,
  encodeDomainRules,
} from '../../extension/classifier/domain-list-codec.ts';
import {
  buildDomainListData,
  DATA_FILE,
  HOST_RULES_SOURCE,
  readDomainSources,
  serialiseDomainListData,
} from './build-data.ts';

const root = join(import.meta.dirname, '..', '..');

describe('the shipped domain list data', () => {
  it('is exactly what the curated sources give (rerun scripts/build-domain-list.ts)', () => {
    const committed = readFileSync(join(root, DATA_FILE), 'utf8');
    expect(committed).toBe(serialiseDomainListData(buildDomainListData(readDomainSources(root))));
  });

  it('decodes to every source entry, once, with its category', () => {
    const rules = [
      { host: 'amazon.co.uk', categoryId: 18 },
      { host: 'amazon.com', categoryId: 18 },
      { host: 'ebay.co.uk', categoryId: 18 },
      { host: 'maps.google.com', categoryId: 208 },
      { host: 'x-1.github.io', categoryId: 5 },
    ];
    const text = encodeDomainRules([...rules].reverse());
    expect(text).toBe('5 github.io:x-1;18 co.uk:amazon,ebay com:amazon;208 google.com:maps');
    const byHost = (a: { host: string }, b: { host: string }) => (a.host < b.host ? -1 : 1);
    expect(decodeDomainRules(text).sort(byHost)).toEqual(rules);
    expect(decodeDomainRules('')).toEqual([]);
  });

  it('refuses unknown or sensitive categories, bad, sensitive or repeated hosts', () => {
    const sources = {
      'a.txt': 'stray.com\n[shopping]\nexample-a.com # a comment\nwww.example-b.com\nco.uk\n',
      'b.txt': '[no-such-category]\nexample-c.com\n[shopping]\nExample-D.com\nexample-a.com\n',
      'c.txt': '[sexual-orientation]\nexample-e.com\n[news]\npornhub.com\nlocal-clinic.com\n',
      [HOST_RULES_SOURCE]: '[news]\nexample-f.com\nnews.example-f.com\n',
    };
    expect(() => buildDomainListData(sources)).toThrow(
      new RegExp(
        [
          'a.txt: stray.com is not under a known \\[category\\]',
          'b.txt: \\[no-such-category\\] is not a shipped category',
          'c.txt: \\[sexual-orientation\\] is not a shipped category',
          'a.txt: www.example-b.com is not a registrable domain',
          'a.txt: co.uk is not a registrable domain',
          'b.txt: Example-D.com is not a lowercase host',
          'b.txt: example-a.com is also in a.txt',
          'c.txt: pornhub.com is a sensitive host',
          'c.txt: local-clinic.com is a sensitive host',
          'host-rules.txt: example-f.com is not below a registrable domain',
        ].join('[\\s\\S]*'),
      ),
    );
  });

  it('accepts a host rule strictly below a registrable domain', () => {
    const data = buildDomainListData({ [HOST_RULES_SOURCE]: '[news]\nnews.example-f.com\n' });
    expect(data.count).toBe(1);
    expect(data.domains).toBe('');
    expect(decodeDomainRules(data.hostRules).map((r) => r.host)).toEqual(['news.example-f.com']);
  });
});
