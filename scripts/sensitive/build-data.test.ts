import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { DOMAIN_LIST } from '../../extension/classifier/domain-list.ts';
import { sensitiveSubjects } from '../../extension/protocol/sensitive-hosts.ts';
import { buildSensitiveData, DATA_FILE, serialiseSensitiveData, SOURCE_DIR } from './build-data.ts';

const root = join(import.meta.dirname, '..', '..');
const shipped = new Set(DOMAIN_LIST.map((r) => r.host));
const realSources = () =>
  Object.fromEntries(
    sensitiveSubjects.map((s) => [s, readFileSync(join(root, SOURCE_DIR, `${s}.txt`), 'utf8')]),
  ) as Record<(typeof sensitiveSubjects)[number], string>;
const emptySources = () =>
  Object.fromEntries(sensitiveSubjects.map((s) => [s, ''])) as ReturnType<typeof realSources>;

describe('the sensitive host data', () => {
  it('is exactly what the curated sources give (rerun scripts/build-sensitive-hosts.ts)', () => {
    const committed = readFileSync(join(root, DATA_FILE), 'utf8');
    expect(committed).toBe(serialiseSensitiveData(buildSensitiveData(realSources(), shipped)));
  });

  it('refuses a host that is not a registrable domain, listed twice, or in the domain list', () => {
    const sources = {
      ...emptySources(),
      adult: 'www.example-a.com\nco.uk\n',
      gambling: 'example-b.com # comment\nexample-b.com\n',
      health: `${[...shipped][0]!}\n`,
    };
    expect(() => buildSensitiveData(sources, shipped)).toThrow(
      /www\.example-a\.com: not a registrable domain[\s\S]*co\.uk: not a registrable domain[\s\S]*example-b\.com: listed under gambling and gambling[\s\S]*also in the shipped domain list/,
    );
  });
});
