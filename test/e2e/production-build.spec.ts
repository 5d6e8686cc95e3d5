/**
 * The production build (`dist/`) carries no test hook: the code that closes epochs early or
 * switches noise off exists only in `dist-e2e/`. Checking both proves the markers are real.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { distDir, distE2eDir, expect, test } from './fixtures.ts';

const hookMarkers = ['crowdsell-test/v1', 'closeEpochNow', 'openTallies', 'sendWaitingNow'];

function builtText(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(js|html|json)$/.test(entry.name))
    .map((entry) => readFileSync(path.join(entry.parentPath, entry.name), 'utf8'))
    .join('\n');
}

test('the production build contains no test hook, the e2e build does', () => {
  const production = builtText(distDir);
  const e2e = builtText(distE2eDir);
  for (const marker of hookMarkers) {
    expect(production, `dist/ must not contain ${marker}`).not.toContain(marker);
    expect(e2e, `dist-e2e/ should contain ${marker}`).toContain(marker);
  }
});

test('the production manifest asks for the union origin only, never all URLs', () => {
  const manifest = JSON.parse(readFileSync(path.join(distDir, 'manifest.json'), 'utf8')) as {
    host_permissions?: string[];
    permissions?: string[];
  };
  expect(manifest.host_permissions).toEqual(['http://127.0.0.1:8787/*']);
  expect(JSON.stringify(manifest)).not.toContain('<all_urls>');
  // `offscreen`: Chrome builds DAP reports in an offscreen document's worker (D-040).
  expect(manifest.permissions).toEqual(['alarms', 'tabs', 'idle', 'offscreen']);
});
