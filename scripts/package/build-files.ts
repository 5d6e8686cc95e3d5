/** Reads a build folder into the `BuiltFile` list the checks and the zip writer take. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

import type { BuiltFile } from './checks.ts';

/**
 * Every file under `dir`, sorted by path, '/'-separated. Dot-files and dot-folders (a stray
 * `.vite/` or `.DS_Store`) are left out: they are not part of the extension.
 */
export function readBuild(dir: string): BuiltFile[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .filter((path) => !path.split('/').some((part) => part.startsWith('.')))
    .sort()
    .map((path) => ({ path, data: readFileSync(join(dir, path)) }));
}
