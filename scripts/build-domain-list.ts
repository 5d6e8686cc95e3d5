/**
 * `npx tsx scripts/build-domain-list.ts`: rebuilds extension/classifier/domain-list.json from the
 * curated lists in scripts/domains/ (see docs/taxonomy.md, "The domain list"). Rerun after editing
 * a list; scripts/domain-list/build-data.test.ts fails until the data matches.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  buildDomainListData,
  DATA_FILE,
  readDomainSources,
  serialiseDomainListData,
} from './domain-list/build-data.ts';

const root = join(import.meta.dirname, '..');
const sources = readDomainSources(root);
const data = buildDomainListData(sources);
writeFileSync(join(root, DATA_FILE), serialiseDomainListData(data));
console.log(`${data.count} hosts from ${Object.keys(sources).length} files; wrote ${DATA_FILE}`);
