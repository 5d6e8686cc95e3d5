/**
 * `npm run build:firefox`: the normal Vite + crx build into `dist-firefox/`, then its manifest is
 * rewritten for Firefox MV3. Firefox runs the background as an event page, not a service worker:
 * `background.scripts` names the crx loader (`service-worker-loader.js`, which imports the real
 * chunk) with `"type": "module"`. Chrome-only fields (`key`, `minimum_chrome_version`) are dropped
 * and `browser_specific_settings.gecko` carries the add-on id and the built-in data-collection
 * consent; `gecko_android` raises the Android minimum to 142, the first Firefox for Android with
 * that consent. Permissions and the CSP are kept exactly as the Chrome build has them. Host
 * permissions lose their port: Firefox's match patterns take none, and a pattern with one
 * (`http://127.0.0.1:8787/*`) is listed as granted but matches nothing, so every union request
 * failed as a CORS error (found by test/firefox-e2e). `http://127.0.0.1/*` covers every port of
 * that host — only a local-development union URL has a port; a production one is plain https.
 *
 * `web-ext lint` reports no errors and two warnings from bundled libraries, both kept on purpose:
 * DANGEROUS_EVAL for zod's JIT (`new Function`), which never runs because
 * `extension/app/zod-config.ts` sets `jitless` first; UNSAFE_VAR_ASSIGNMENT for Preact's
 * `dangerouslySetInnerHTML` support, which no Crowdsell view uses. test/firefox fails on any other.
 *
 * `npm run build:firefox-e2e` (`--e2e`) does the same with `--mode e2e` into `dist-firefox-e2e/`:
 * the test-hook build for the test union at 127.0.0.1:18787, which test/firefox-e2e drives.
 * `union/local/extension-build.ts` builds for a local union with `browser: 'firefox'` through
 * {@link rewriteForFirefox} (the Firefox money loop's `dist-firefox-money-loop/`).
 *
 * Load it in Firefox via about:debugging → This Firefox → Load Temporary Add-on →
 * dist-firefox/manifest.json.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIREFOX_OUT_DIR = 'dist-firefox';
export const FIREFOX_E2E_OUT_DIR = 'dist-firefox-e2e';
export const GECKO_ID = 'crowdsell@crowdsell.example';
export const GECKO_MIN_VERSION = '140.0';
/** Firefox for Android knows `data_collection_permissions` from 142 on (desktop from 140 ESR). */
export const GECKO_ANDROID_MIN_VERSION = '142.0';

const root = dirname(fileURLToPath(import.meta.url));

type Manifest = Record<string, unknown> & {
  background?: { service_worker?: string; scripts?: string[]; type?: string };
};

/** Permissions Firefox does not know. */
const CHROME_ONLY = new Set(['offscreen']);

/** A Chrome host-permission match pattern without its port (Firefox patterns take none). */
export function withoutPort(pattern: string): string {
  return pattern.replace(/^([a-z*-]+:\/\/[^/:]+):\d+(\/.*)$/, '$1$2');
}

/** The Chrome manifest crx emitted, turned into a Firefox MV3 manifest (pure; input untouched). */
export function toFirefoxManifest(chrome: Manifest): Manifest {
  const { key: _key, minimum_chrome_version: _minChrome, background, ...rest } = chrome;
  const worker = background?.service_worker;
  if (!worker) throw new Error('built manifest has no background.service_worker');
  const hosts = Array.isArray(rest.host_permissions)
    ? { host_permissions: [...new Set((rest.host_permissions as string[]).map(withoutPort))] }
    : {};
  // `offscreen` is Chrome's (its worker builds DAP reports there); Firefox's event page imports
  // the report builder itself.
  const permissions = Array.isArray(rest.permissions)
    ? { permissions: (rest.permissions as string[]).filter((p) => !CHROME_ONLY.has(p)) }
    : {};
  return {
    ...rest,
    ...hosts,
    ...permissions,
    background: { scripts: [worker], type: 'module' },
    browser_specific_settings: {
      gecko: {
        id: GECKO_ID,
        strict_min_version: GECKO_MIN_VERSION,
        data_collection_permissions: {
          required: ['none'],
          optional: ['browsingActivity', 'technicalAndInteraction'],
        },
      },
      gecko_android: { strict_min_version: GECKO_ANDROID_MIN_VERSION },
    },
  };
}

/**
 * Runs `vite build --outDir <outDir>` (plus `viteArgs`, e.g. `--mode e2e`) and rewrites
 * `<outDir>/manifest.json` for Firefox.
 */
export function buildFirefox(
  outDir: string = join(root, FIREFOX_OUT_DIR),
  viteArgs: readonly string[] = [],
): Manifest {
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const run = spawnSync(process.execPath, [vite, 'build', ...viteArgs, '--outDir', outDir], {
    cwd: root,
    stdio: 'inherit',
  });
  if (run.status !== 0) throw new Error(`vite build failed (exit ${String(run.status)})`);
  return rewriteForFirefox(outDir);
}

/** Rewrites the Chrome `manifest.json` a vite build wrote into `outDir` for Firefox. */
export function rewriteForFirefox(outDir: string): Manifest {
  const manifestPath = join(outDir, 'manifest.json');
  const chrome = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  const firefox = toFirefoxManifest(chrome);
  writeFileSync(manifestPath, `${JSON.stringify(firefox, null, 2)}\n`);
  return firefox;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const e2e = process.argv.includes('--e2e');
  const outDir = e2e ? FIREFOX_E2E_OUT_DIR : FIREFOX_OUT_DIR;
  buildFirefox(join(root, outDir), e2e ? ['--mode', 'e2e'] : []);
  console.log(`Firefox build written to ${outDir}/`);
}
