/**
 * From the curated sources (`scripts/domains/<area>.txt`: `[category-key]` headings, one host a
 * line, `#` comments) to the shipped data (`extension/classifier/domain-list.json`). Pure but for
 * `readDomainSources`: the CLI (`scripts/build-domain-list.ts`) writes the file, the test checks
 * that the committed data is exactly what the sources give.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { getDomain } from 'tldts';

import { encodeDomainRules, type CodedRule } from '../../extension/classifier/domain-list-codec.ts';
import type { DomainListData } from '../../extension/classifier/domain-list.ts';
import { sensitiveHostSubject } from '../../extension/protocol/sensitive-hosts.ts';
import { categoryByKey } from '../../extension/protocol/taxonomy.ts';

/** Bump whenever an entry is added, removed or moved to another category. */
export const DOMAIN_LIST_VERSION = 1;

export const SOURCE_DIR = 'scripts/domains';
/** The one source file that lists host names below a registrable domain (maps.google.com). */
export const HOST_RULES_SOURCE = 'host-rules.txt';
export const DATA_FILE = 'extension/classifier/domain-list.json';

const HOST = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;
const PSL = { allowPrivateDomains: true } as const;

/** Every source file's text by file name, in name order. */
export function readDomainSources(root: string): Record<string, string> {
  const dir = join(root, SOURCE_DIR);
  const files = readdirSync(dir).filter((f) => f.endsWith('.txt'));
  return Object.fromEntries(files.sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

interface SourceRule extends CodedRule {
  readonly file: string;
}

/** The rules of one source file; problems (unknown keys, hosts before a heading) are collected. */
export function parseSource(file: string, text: string, problems: string[]): SourceRule[] {
  const rules: SourceRule[] = [];
  let categoryId: number | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    const heading = /^\[(.+)\]$/.exec(line);
    if (heading) {
      // categoryByKey knows only shipped, non-sensitive categories.
      categoryId = categoryByKey(heading[1]!)?.id ?? null;
      if (categoryId === null) problems.push(`${file}: [${heading[1]!}] is not a shipped category`);
    } else if (categoryId !== null) {
      rules.push({ host: line, categoryId, file });
    } else {
      problems.push(`${file}: ${line} is not under a known [category]`);
    }
  }
  return rules;
}

function hostProblem(rule: SourceRule): string | null {
  const { host, file } = rule;
  if (!HOST.test(host)) return 'not a lowercase host';
  if (sensitiveHostSubject(host) !== null) return 'a sensitive host';
  const domain = getDomain(host, PSL);
  if (file === HOST_RULES_SOURCE) {
    return domain !== null && domain !== host ? null : 'not below a registrable domain';
  }
  return domain === host ? null : 'not a registrable domain';
}

/**
 * Checks every host (lowercase ASCII, a registrable domain except in host-rules.txt where it must
 * be strictly below one, not sensitive, listed once across all files) and encodes the list.
 * Throws a sentence naming the bad entries.
 */
export function buildDomainListData(sources: Readonly<Record<string, string>>): DomainListData {
  const problems: string[] = [];
  const rules = Object.entries(sources).flatMap(([file, text]) =>
    parseSource(file, text, problems),
  );
  const seen = new Map<string, string>();
  for (const rule of rules) {
    const problem = hostProblem(rule);
    if (problem !== null) problems.push(`${rule.file}: ${rule.host} is ${problem}`);
    const other = seen.get(rule.host);
    if (other !== undefined) problems.push(`${rule.file}: ${rule.host} is also in ${other}`);
    seen.set(rule.host, rule.file);
  }
  if (problems.length > 0) {
    throw new Error(`The domain list sources have problems:\n  ${problems.join('\n  ')}`);
  }
  const hostRules = rules.filter((r) => r.file === HOST_RULES_SOURCE);
  const domains = rules.filter((r) => r.file !== HOST_RULES_SOURCE);
  return {
    version: DOMAIN_LIST_VERSION,
    count: rules.length,
    domains: encodeDomainRules(domains),
    hostRules: encodeDomainRules(hostRules),
  };
}

export function serialiseDomainListData(data: DomainListData): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}
