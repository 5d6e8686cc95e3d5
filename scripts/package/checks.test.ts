import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { DEVELOPMENT_LIMITS_MARKER } from '../../extension/protocol/privacy-budget.ts';
import { generateAppSecret } from '../../union/domain/app-secret.ts';
import {
  APP_SECRET_PATTERN,
  type BuiltFile,
  checkBuildEnv,
  checkFirefoxDataCollection,
  checkManifest,
  hasErrors,
  scanBuild,
  type SecretPolicy,
  toChromeStoreManifest,
} from './checks.ts';

const root = join(import.meta.dirname, '..', '..');
const strict: SecretPolicy = { devSecrets: [], allowAppSecret: false };

const manifest = {
  manifest_version: 3,
  version: '0.1.0',
  host_permissions: ['https://union.example.org/*'],
  icons: { '128': 'icon-128.png' },
};

function build(js: string, extra: Record<string, unknown> = {}): BuiltFile[] {
  return [
    { path: 'manifest.json', data: Buffer.from(JSON.stringify({ ...manifest, ...extra })) },
    { path: 'assets/index.js', data: Buffer.from(js) },
    { path: 'icon-128.png', data: Buffer.from([0x89, 0x50, 0x4e, 0x47]) },
  ];
}

const codes = (findings: { code: string }[]) => findings.map((finding) => finding.code);

describe('scanBuild', () => {
  it('passes a clean production build without findings', () => {
    expect(scanBuild(build('const unionUrl="https://union.example.org";'), 'b', strict)).toEqual(
      [],
    );
  });

  it('refuses a build carrying the e2e test hooks', () => {
    const findings = scanBuild(build('chrome.runtime.onMessage; "crowdsell-test/v1"'), 'b', strict);
    expect(codes(findings)).toEqual(['test-hook']);
    expect(hasErrors(findings)).toBe(true);
  });

  it('refuses a build that allows the development privacy limits (short epochs, small k)', () => {
    const js = `const limits={kind:"development",minEpochSeconds:60,marker:"${DEVELOPMENT_LIMITS_MARKER}"};`;
    const findings = scanBuild(build(js), 'b', strict);
    expect(codes(findings)).toEqual(['development-privacy-limits']);
    expect(hasErrors(findings)).toBe(true);
  });

  it('refuses the dev app secret of the local union even when secrets are allowed', () => {
    const { secret } = generateAppSecret();
    const findings = scanBuild(build(`const s="${secret}";`), 'b', {
      devSecrets: [secret],
      allowAppSecret: true,
    });
    expect(codes(findings)).toEqual(['dev-app-secret']);
    expect(hasErrors(findings)).toBe(true);
  });

  it('refuses any other app secret unless explicitly allowed', () => {
    const { secret } = generateAppSecret();
    const files = build(`appSecret:"${secret}"`);
    expect(hasErrors(scanBuild(files, 'b', strict))).toBe(true);
    const allowed = scanBuild(files, 'b', { devSecrets: [], allowAppSecret: true });
    expect(codes(allowed)).toEqual(['app-secret-allowed']);
    expect(hasErrors(allowed)).toBe(false);
  });

  it('recognises every secret the union generates', () => {
    for (let i = 0; i < 20; i += 1) {
      expect(generateAppSecret().secret).toMatch(new RegExp(`^${APP_SECRET_PATTERN.source}$`));
    }
  });

  it('refuses a build without a manifest at its root', () => {
    const files = build('x').filter((file) => file.path !== 'manifest.json');
    expect(codes(scanBuild(files, 'b', strict))).toEqual(['no-manifest']);
  });

  it('refuses a build whose manifest names an icon file it does not contain', () => {
    const files = build('x', { action: { default_icon: { '16': 'icons/icon-16.png' } } });
    const findings = scanBuild(files, 'b', strict);
    expect(codes(findings)).toEqual(['missing-icon']);
    expect(findings[0]?.message).toContain('icons/icon-16.png');
    expect(hasErrors(findings)).toBe(true);
  });

  it('warns, without refusing, about the Hardhat dev admin baked in', () => {
    const findings = scanBuild(
      build('admin:"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"'),
      'b',
      strict,
    );
    expect(codes(findings)).toEqual(['dev-admin']);
    expect(hasErrors(findings)).toBe(false);
  });
});

describe('checkBuildEnv', () => {
  it('refuses VITE_APP_SECRET before building, naming the dev secret as such', () => {
    expect(checkBuildEnv({ VITE_APP_SECRET: '  ' }, strict)).toEqual([]);
    expect(codes(checkBuildEnv({ VITE_APP_SECRET: 'abc' }, strict))).toEqual(['app-secret']);
    expect(
      codes(
        checkBuildEnv({ VITE_APP_SECRET: 'abc' }, { devSecrets: ['abc'], allowAppSecret: true }),
      ),
    ).toEqual(['dev-app-secret']);
  });
});

describe('checkManifest', () => {
  it('refuses host permissions wider than the union origin', () => {
    for (const hosts of [['<all_urls>'], ['*://*/*'], ['https://*/*']]) {
      expect(codes(checkManifest({ ...manifest, host_permissions: hosts }, 'b'))).toContain(
        'broad-host-permission',
      );
    }
  });

  it('warns, without refusing, about a local union and missing icons', () => {
    const findings = checkManifest(
      { version: '0.1.0', host_permissions: ['http://127.0.0.1:8787/*'] },
      'b',
    );
    expect(codes(findings)).toEqual(['local-union', 'no-icons']);
    expect(hasErrors(findings)).toBe(false);
  });

  it('refuses a version the stores do not accept', () => {
    expect(codes(checkManifest({ ...manifest, version: '1.0.0-beta' }, 'b'))).toEqual([
      'bad-version',
    ]);
  });
});

describe('checkFirefoxDataCollection', () => {
  const firefox = (dataCollection: unknown, js = 'run()') =>
    build(js, {
      browser_specific_settings: { gecko: { data_collection_permissions: dataCollection } },
    });
  const check = (files: BuiltFile[]) => codes(checkFirefoxDataCollection(files, 'Firefox build'));

  it('accepts browsingActivity declared as required', () => {
    expect(check(firefox({ required: ['browsingActivity'] }))).toEqual([]);
  });

  it('accepts browsingActivity declared optional when a script requests it', () => {
    const js = 'browser.permissions.request({data_collection:["browsingActivity"]})';
    expect(check(firefox({ required: ['none'], optional: ['browsingActivity'] }, js))).toEqual([]);
  });

  it('warns when browsingActivity is optional but never requested (the manifest does not count)', () => {
    expect(check(firefox({ required: ['none'], optional: ['browsingActivity'] }))).toEqual([
      'amo-data-collection',
    ]);
  });

  it('warns when browsingActivity is not declared at all, or nothing is', () => {
    expect(check(firefox({ required: ['none'] }))).toEqual(['amo-data-collection']);
    expect(check(build('run()'))).toEqual(['amo-data-collection']);
  });
});

describe('toChromeStoreManifest', () => {
  it('drops the dev key the Chrome Web Store rejects and keeps everything else', () => {
    const withKey = { ...manifest, key: 'MIIB…' };
    expect(toChromeStoreManifest(withKey)).toEqual(manifest);
    expect(withKey.key).toBe('MIIB…');
  });
});

describe('npm run package', () => {
  it('exits non-zero with a clear message when the environment carries the dev app secret', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crowdsell-package-'));
    const { secret } = generateAppSecret();
    writeFileSync(join(dataDir, 'dev-app-secret.txt'), `${secret}\n`);
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(root, 'scripts', 'package-extension.ts')],
      {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, CROWDSELL_DATA_DIR: dataDir, VITE_APP_SECRET: secret },
      },
    );
    rmSync(dataDir, { recursive: true, force: true });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('ERROR [dev-app-secret]');
    expect(run.stderr).toContain('Refusing to package');
  });
});
