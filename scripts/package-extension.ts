/**
 * `npm run package`: production builds for both stores, checked, zipped into artifacts/store/.
 *
 *   1. refuses at once if the build environment carries an app secret (see scripts/package/checks.ts);
 *   2. `vite build` → dist/ (Chrome) and `build-firefox.ts` → dist-firefox/ (Firefox);
 *   3. scans both builds for test hooks and app secrets (errors: exit 1, nothing written) and for
 *      things that make a build unfit to publish (warnings: printed);
 *   4. writes crowdsell-chrome-<version>.zip (manifest without the dev `key`),
 *      crowdsell-firefox-<version>.zip and crowdsell-sources-<version>.zip (every git-tracked file,
 *      for AMO's source review), reads each back to check it, and prints size and sha256.
 *
 * Flags: --skip-build zips the existing dist/ and dist-firefox/ (still checked);
 * --allow-app-secret accepts a non-dev app secret (it becomes public with the zip).
 * See store/README.md for what to do with the zips.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { loadEnv } from 'vite';

import { buildFirefox, FIREFOX_OUT_DIR } from '../build-firefox.ts';
import { readBuild } from './package/build-files.ts';
import {
  type BuiltFile,
  checkBuildEnv,
  checkFirefoxDataCollection,
  type Finding,
  hasErrors,
  type Manifest,
  scanBuild,
  type SecretPolicy,
  toChromeStoreManifest,
} from './package/checks.ts';
import { type Artifact, formatFindings, formatSummary } from './package/report.ts';
import { readZip } from './package/zip-reader.ts';
import { writeZip, type ZipEntry } from './package/zip-writer.ts';

const root = resolve(fileURLToPath(import.meta.url), '..', '..');
const CHROME_OUT_DIR = 'dist';
const STORE_DIR = join('artifacts', 'store');

class Refused extends Error {}

function collect(dir: string): BuiltFile[] {
  if (!existsSync(join(dir, 'manifest.json'))) {
    throw new Refused(`${relative(root, dir)}/ has no manifest.json: build it first.`);
  }
  return readBuild(dir);
}

function devSecrets(): string[] {
  const dataDir = resolve(root, process.env.CROWDSELL_DATA_DIR ?? '.crowdsell');
  const file = join(dataDir, 'dev-app-secret.txt');
  return existsSync(file) ? [readFileSync(file, 'utf8').trim()].filter(Boolean) : [];
}

function stop(findings: readonly Finding[]): void {
  if (findings.length > 0) console.log(formatFindings(findings));
  if (hasErrors(findings)) throw new Refused('Refusing to package: fix the errors above.');
}

function manifestOf(files: readonly BuiltFile[]): Manifest {
  const file = files.find((entry) => entry.path === 'manifest.json');
  return JSON.parse(Buffer.from(file?.data ?? '{}').toString('utf8')) as Manifest;
}

function gitSources(): ZipEntry[] {
  const listed = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' });
  return listed
    .split('\0')
    .filter((path) => path !== '' && existsSync(join(root, path)))
    .sort()
    .map((name) => ({ name, data: readFileSync(join(root, name)) }));
}

function writeArtifact(name: string, entries: readonly ZipEntry[], needsManifest: boolean) {
  const zip = writeZip(entries);
  const back = readZip(zip);
  if (back.length !== entries.length) throw new Error(`${name}: read back ${back.length} entries`);
  if (needsManifest && !back.some((entry) => entry.name === 'manifest.json')) {
    throw new Error(`${name}: no manifest.json at the zip root`);
  }
  const file = join(STORE_DIR, name);
  writeFileSync(join(root, file), zip);
  return {
    file,
    bytes: zip.length,
    sha256: createHash('sha256').update(zip).digest('hex'),
    entries: entries.length,
  } satisfies Artifact;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      'skip-build': { type: 'boolean', default: false },
      'allow-app-secret': { type: 'boolean', default: false },
    },
  });
  const policy: SecretPolicy = {
    devSecrets: devSecrets(),
    allowAppSecret: values['allow-app-secret'],
  };

  if (!values['skip-build']) {
    stop(checkBuildEnv(loadEnv('production', root, 'VITE_'), policy));
    console.log('Building the Chrome extension into dist/ …');
    const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
    const build = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
      cwd: root,
      stdio: 'inherit',
    });
    if (build.status !== 0) throw new Error(`vite build failed (exit ${String(build.status)})`);
    console.log('Building the Firefox extension into dist-firefox/ …');
    buildFirefox(join(root, FIREFOX_OUT_DIR));
  }

  const chrome = collect(join(root, CHROME_OUT_DIR));
  const firefox = collect(join(root, FIREFOX_OUT_DIR));
  stop([
    ...scanBuild(chrome, 'Chrome build', policy),
    ...scanBuild(firefox, 'Firefox build', policy),
    ...checkFirefoxDataCollection(firefox, 'Firefox build'),
  ]);

  const version = manifestOf(chrome).version ?? '';
  if (manifestOf(firefox).version !== version) {
    throw new Refused('dist/ and dist-firefox/ have different versions: rebuild both.');
  }

  const storeManifest = `${JSON.stringify(toChromeStoreManifest(manifestOf(chrome)), null, 2)}\n`;
  const chromeEntries = chrome.map(({ path, data }) => ({
    name: path,
    data: path === 'manifest.json' ? Buffer.from(storeManifest) : data,
  }));
  const firefoxEntries = firefox.map(({ path, data }) => ({ name: path, data }));

  mkdirSync(join(root, STORE_DIR), { recursive: true });
  const artifacts = [
    writeArtifact(`crowdsell-chrome-${version}.zip`, chromeEntries, true),
    writeArtifact(`crowdsell-firefox-${version}.zip`, firefoxEntries, true),
    writeArtifact(`crowdsell-sources-${version}.zip`, gitSources(), false),
  ];
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
    cwd: root,
    encoding: 'utf8',
  });
  const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
    cwd: root,
    encoding: 'utf8',
  });
  console.log(
    `\nCrowdsell ${version}, commit ${commit.trim()}${dirty ? ' (uncommitted changes in tracked files)' : ''}:`,
  );
  console.log(formatSummary(artifacts));
  console.log('\nNext: store/README.md (AMO first, then the Chrome Web Store).');
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
