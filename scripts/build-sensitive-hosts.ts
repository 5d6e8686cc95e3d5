/**
 * `npx tsx scripts/build-sensitive-hosts.ts`: rebuilds extension/protocol/sensitive-hosts.json
 * from the curated lists in scripts/sensitive-hosts/ (see docs/taxonomy.md, "Sensitive hosts").
 * Rerun after editing a list; scripts/sensitive/build-data.test.ts fails until the data matches.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { DOMAIN_LIST } from '../extension/classifier/domain-list.ts';
import { sensitiveSubjects } from '../extension/protocol/sensitive-hosts.ts';
import {
  buildSensitiveData,
  DATA_FILE,
  serialiseSensitiveData,
  SOURCE_DIR,
} from './sensitive/build-data.ts';

const root = join(import.meta.dirname, '..');
const sources = Object.fromEntries(
  sensitiveSubjects.map((s) => [s, readFileSync(join(root, SOURCE_DIR, `${s}.txt`), 'utf8')]),
) as Record<(typeof sensitiveSubjects)[number], string>;
const data = buildSensitiveData(sources, new Set(DOMAIN_LIST.map((r) => r.host)));
writeFileSync(join(root, DATA_FILE), serialiseSensitiveData(data));
for (const subject of sensitiveSubjects) {
  console.log(`${subject.padEnd(9)} ${String(data.subjects[subject].count).padStart(4)} hosts`);
}
console.log(`wrote ${DATA_FILE}`);
