/**
 * From the curated sources (`scripts/sensitive-hosts/<subject>.txt`, one registrable domain a
 * line, `#` comments) to the shipped data (`extension/protocol/sensitive-hosts.json`). Pure: the
 * CLI (`scripts/build-sensitive-hosts.ts`) reads and writes the files, the test checks that the
 * committed data is exactly what the sources give.
 */
import { getDomain } from 'tldts';

import {
  encodeHashes,
  hostHash,
  sensitiveSubjects,
  type SensitiveHostData,
  type SensitiveSubject,
} from '../../extension/protocol/sensitive-hosts.ts';

/** Bump when the encoding changes; the lists themselves are versioned by git. */
export const SENSITIVE_DATA_VERSION = 1;

export const SOURCE_DIR = 'scripts/sensitive-hosts';
export const DATA_FILE = 'extension/protocol/sensitive-hosts.json';

export function parseSource(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '');
}

/**
 * Checks every host (lowercase ASCII registrable domain, listed once across all subjects, not in
 * the shipped domain list) and encodes each subject's set. Throws a sentence naming the bad hosts.
 */
export function buildSensitiveData(
  sources: Record<SensitiveSubject, string>,
  shippedHosts: ReadonlySet<string>,
): SensitiveHostData {
  const seen = new Map<string, SensitiveSubject>();
  const problems: string[] = [];
  const subjects = {} as SensitiveHostData['subjects'];
  for (const subject of sensitiveSubjects) {
    const hosts = parseSource(sources[subject]);
    for (const host of hosts) {
      if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host)) problems.push(`${host}: not a lowercase host`);
      else if (getDomain(host, { allowPrivateDomains: true }) !== host) {
        problems.push(`${host}: not a registrable domain`);
      }
      if (shippedHosts.has(host)) problems.push(`${host}: also in the shipped domain list`);
      const other = seen.get(host);
      if (other) problems.push(`${host}: listed under ${other} and ${subject}`);
      seen.set(host, subject);
    }
    subjects[subject] = { count: hosts.length, hashes: encodeHashes(hosts.map(hostHash)) };
  }
  if (problems.length > 0) {
    throw new Error(`The sensitive host sources have problems:\n  ${problems.join('\n  ')}`);
  }
  return { version: SENSITIVE_DATA_VERSION, hash: 'fnv1a-32', subjects };
}

export function serialiseSensitiveData(data: SensitiveHostData): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}
