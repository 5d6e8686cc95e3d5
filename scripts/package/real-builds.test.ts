/**
 * The checks against real builds: the e2e build (`--mode e2e`, with test hooks) is refused and the
 * production build is not — so the markers the packager looks for are the ones the build emits.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readBuild } from './build-files.ts';
import { type BuiltFile, hasErrors, scanBuild } from './checks.ts';

const root = join(import.meta.dirname, '..', '..');
const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
const policy = { devSecrets: [], allowAppSecret: false };
const outDirs: string[] = [];

function viteBuild(mode: string): BuiltFile[] {
  const outDir = mkdtempSync(join(tmpdir(), `crowdsell-${mode}-`));
  outDirs.push(outDir);
  const run = spawnSync(
    process.execPath,
    [vite, 'build', '--mode', mode, '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'],
    { cwd: root, encoding: 'utf8', env: { ...process.env, VITE_APP_SECRET: '' } },
  );
  if (run.status !== 0) throw new Error(`vite build --mode ${mode} failed: ${run.stderr}`);
  return readBuild(outDir);
}

describe('store checks on real builds', () => {
  let production: BuiltFile[];
  let e2e: BuiltFile[];
  beforeAll(() => {
    production = viteBuild('production');
    e2e = viteBuild('e2e');
  }, 180_000);
  afterAll(() => {
    for (const dir of outDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('accept the production build (warnings only)', () => {
    const findings = scanBuild(production, 'production', policy);
    expect(hasErrors(findings), JSON.stringify(findings)).toBe(false);
    expect(findings.map((finding) => finding.code)).not.toContain('development-privacy-limits');
    expect(production.map((file) => file.path)).toContain('manifest.json');
  });

  it('ship the icons the manifest names, so no-icons does not fire', () => {
    const findings = scanBuild(production, 'production', policy);
    expect(findings.map((finding) => finding.code)).not.toContain('no-icons');
    expect(findings.map((finding) => finding.code)).not.toContain('missing-icon');
    const paths = production.map((file) => file.path);
    for (const size of [16, 32, 48, 128]) expect(paths).toContain(`icons/icon-${String(size)}.png`);
  });

  it('refuse the e2e build because it carries the test hooks and the development limits', () => {
    const findings = scanBuild(e2e, 'e2e', policy);
    expect(findings.map((finding) => finding.code)).toContain('test-hook');
    expect(findings.map((finding) => finding.code)).toContain('development-privacy-limits');
    expect(hasErrors(findings)).toBe(true);
  });
});
