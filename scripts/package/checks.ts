/**
 * What a store build must not carry, checked on the built files themselves (what would ship), plus
 * an early look at the build environment so a bad setting fails before a minute of building.
 *
 * Errors refuse packaging: a test hook (the e2e build's noise switch and epoch closer), the
 * development privacy limits (one-minute epochs, k below 50: any build not made in production
 * mode carries them, `DEVELOPMENT_LIMITS_MARKER`), an icon the
 * manifest names but the build lacks (the browser would refuse to load it), or an app secret — the
 * dev one of `npm start` always, any other unless explicitly allowed, since a secret in a public zip
 * is public. Warnings are printed and do not block: they describe builds that package
 * fine but are not ready to publish (a local union, the Hardhat dev admin, no icons, AMO's
 * data-collection declaration).
 */
import { defaultUnionSettings } from '../../background/union-settings.ts';
import { DEVELOPMENT_LIMITS_MARKER } from '../../extension/protocol/privacy-budget.ts';

export type Severity = 'error' | 'warning';

export interface Finding {
  severity: Severity;
  /** Stable code, for tests and for grepping the output. */
  code: string;
  message: string;
}

export interface BuiltFile {
  /** Path relative to the build folder, '/'-separated. */
  path: string;
  data: Uint8Array;
}

export interface SecretPolicy {
  /** Secrets known to be development ones (the local union's `dev-app-secret.txt`). */
  devSecrets: readonly string[];
  /** `--allow-app-secret`: a deliberate, limited secret for a public build is acceptable. */
  allowAppSecret: boolean;
}

/**
 * Strings only the e2e build's test hooks contain (`background/test-hooks.ts`): the same markers
 * `test/e2e/production-build.spec.ts` proves present in dist-e2e/ and absent from dist/.
 */
export const TEST_HOOK_MARKERS = [
  'crowdsell-test/v1',
  'closeEpochNow',
  'openTallies',
  'sendWaitingNow',
] as const;

/** The shape of a union app secret (`union/domain/app-secret.ts`): `csj_<16 hex>_<43 base64url>`. */
export const APP_SECRET_PATTERN = /csj_[0-9a-f]{16}_[A-Za-z0-9_-]{43}/g;

const TEXT_FILE = /\.(js|mjs|html|json|css|txt|map)$/;
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const BROWSING_ACTIVITY = 'browsingActivity';

function secretFinding(secret: string, where: string, policy: SecretPolicy): Finding | null {
  if (policy.devSecrets.includes(secret)) {
    return {
      severity: 'error',
      code: 'dev-app-secret',
      message: `${where} carries the development app secret of the local union (npm start). Unset VITE_APP_SECRET and rebuild.`,
    };
  }
  if (!policy.allowAppSecret) {
    return {
      severity: 'error',
      code: 'app-secret',
      message: `${where} carries an app secret. Anything in a store zip is public: unset VITE_APP_SECRET, or pass --allow-app-secret for a secret created for this release with a use limit and an expiry.`,
    };
  }
  return {
    severity: 'warning',
    code: 'app-secret-allowed',
    message: `${where} carries an app secret (allowed by --allow-app-secret); it is public once the zip is.`,
  };
}

/** The build environment Vite will see (`loadEnv('production', …)`), checked before building. */
export function checkBuildEnv(
  env: Readonly<Record<string, string | undefined>>,
  policy: SecretPolicy,
): Finding[] {
  const secret = env.VITE_APP_SECRET?.trim();
  if (!secret) return [];
  const finding = secretFinding(secret, 'VITE_APP_SECRET', policy);
  return finding ? [finding] : [];
}

function decode(file: BuiltFile): string | null {
  return TEXT_FILE.test(file.path) ? Buffer.from(file.data).toString('utf8') : null;
}

/** Checks the files of one build folder; `label` names it in messages ("Chrome build"). */
export function scanBuild(files: readonly BuiltFile[], label: string, policy: SecretPolicy) {
  const findings: Finding[] = [];
  const reported = new Set<string>();
  const once = (finding: Finding | null) => {
    if (!finding || reported.has(finding.code)) return;
    reported.add(finding.code);
    findings.push(finding);
  };

  for (const file of files) {
    const text = decode(file);
    if (text === null) continue;
    for (const marker of TEST_HOOK_MARKERS) {
      if (text.includes(marker)) {
        once({
          severity: 'error',
          code: 'test-hook',
          message: `${label}: ${file.path} contains the e2e test hooks ("${marker}"). Store builds come from \`vite build\` without --mode e2e.`,
        });
      }
    }
    if (text.includes(DEVELOPMENT_LIMITS_MARKER)) {
      once({
        severity: 'error',
        code: 'development-privacy-limits',
        message: `${label}: ${file.path} allows the development privacy limits (one-minute epochs, k below 50, no daily ε cap). Store builds come from \`vite build\` in production mode.`,
      });
    }
    for (const match of text.matchAll(APP_SECRET_PATTERN)) {
      once(secretFinding(match[0], `${label}: ${file.path}`, policy));
    }
    if (text.toLowerCase().includes(defaultUnionSettings.adminAddress.toLowerCase())) {
      once({
        severity: 'warning',
        code: 'dev-admin',
        message: `${label} trusts the Hardhat dev account ${defaultUnionSettings.adminAddress} as union admin (its private key is public). Set VITE_ADMIN_ADDRESS, VITE_DATA_UNION_ADDRESS and VITE_CHAIN_ID for a real union.`,
      });
    }
  }

  const manifestFile = files.find((file) => file.path === 'manifest.json');
  if (!manifestFile) {
    findings.push({
      severity: 'error',
      code: 'no-manifest',
      message: `${label} has no manifest.json at its root.`,
    });
    return findings;
  }
  const manifest = JSON.parse(decode(manifestFile) ?? '{}') as Manifest;
  findings.push(...checkManifest(manifest, label), ...checkIconFiles(manifest, files, label));
  return findings;
}

/** Every icon the manifest names is in the build: a browser refuses to load one that is not. */
function checkIconFiles(manifest: Manifest, files: readonly BuiltFile[], label: string): Finding[] {
  const present = new Set(files.map((file) => file.path));
  const named = [
    ...Object.values(manifest.icons ?? {}),
    ...Object.values(manifest.action?.default_icon ?? {}),
  ];
  const missing = [...new Set(named)].filter((path) => !present.has(path.replace(/^\//, '')));
  if (missing.length === 0) return [];
  return [
    {
      severity: 'error',
      code: 'missing-icon',
      message: `${label}: the manifest names icons the build does not contain (${missing.join(', ')}). Run \`npx tsx scripts/make-icons.ts\` and rebuild.`,
    },
  ];
}

export type Manifest = Record<string, unknown> & {
  version?: string;
  host_permissions?: string[];
  icons?: Record<string, string>;
  action?: { default_icon?: Record<string, string> };
  browser_specific_settings?: {
    gecko?: { data_collection_permissions?: { required?: string[]; optional?: string[] } };
  };
};

/** Manifest-level checks shared by both builds. */
export function checkManifest(manifest: Manifest, label: string): Finding[] {
  const findings: Finding[] = [];
  if (typeof manifest.version !== 'string' || !/^\d+(\.\d+){0,3}$/.test(manifest.version)) {
    findings.push({
      severity: 'error',
      code: 'bad-version',
      message: `${label}: manifest version ${JSON.stringify(manifest.version)} is not 1–4 dot-separated integers.`,
    });
  }
  const hosts = manifest.host_permissions ?? [];
  if (hosts.some((pattern) => pattern === '<all_urls>' || /^\*:|:\/\/\*\//.test(pattern))) {
    findings.push({
      severity: 'error',
      code: 'broad-host-permission',
      message: `${label}: host_permissions ${JSON.stringify(hosts)} reach beyond the union's origin.`,
    });
  }
  const local = hosts.filter((pattern) => {
    try {
      return LOCAL_HOSTS.has(new URL(pattern.replace(/\*$/, '')).hostname);
    } catch {
      return false;
    }
  });
  if (local.length > 0) {
    findings.push({
      severity: 'warning',
      code: 'local-union',
      message: `${label} talks to a union on this machine (${local.join(', ')}): fine for a review rehearsal, useless to store users. Set VITE_UNION_URL to the production union (https).`,
    });
  }
  if (!manifest.icons || Object.keys(manifest.icons).length === 0) {
    findings.push({
      severity: 'warning',
      code: 'no-icons',
      message: `${label}: the manifest has no "icons" (both stores want at least a 128×128 icon).`,
    });
  }
  return findings;
}

/**
 * Firefox's data-collection declaration against what the extension transmits: category statistics
 * of browsing, i.e. `browsingActivity`. AMO wants it stated accurately. Declared `required`, the
 * install prompt asks; declared only `optional`, it is granted by nobody until the extension calls
 * `permissions.request({ data_collection: [...] })`, so the build must contain that call.
 */
export function checkFirefoxDataCollection(files: readonly BuiltFile[], label: string): Finding[] {
  const manifestFile = files.find((file) => file.path === 'manifest.json');
  if (!manifestFile) return [];
  const manifest = JSON.parse(decode(manifestFile) ?? '{}') as Manifest;
  const declared = manifest.browser_specific_settings?.gecko?.data_collection_permissions;
  const warn = (message: string): Finding[] => [
    { severity: 'warning', code: 'amo-data-collection', message: `${label}: ${message}` },
  ];
  if (!declared) {
    return warn('no data_collection_permissions; AMO requires new add-ons to declare them.');
  }
  if (declared.required?.includes(BROWSING_ACTIVITY)) return [];
  if (!declared.optional?.includes(BROWSING_ACTIVITY)) {
    return warn(
      `data_collection_permissions does not declare "${BROWSING_ACTIVITY}", which the extension transmits (store/data-use-disclosures.md).`,
    );
  }
  const requests = files.some(
    (file) => /\.m?js$/.test(file.path) && decode(file)?.includes('data_collection') === true,
  );
  if (!requests) {
    return warn(
      `"${BROWSING_ACTIVITY}" is declared optional but no script requests it (permissions.request({ data_collection })), so it is never granted while reports are still sent (store/data-use-disclosures.md).`,
    );
  }
  return [];
}

/** The manifest as uploaded to the Chrome Web Store: without the dev `key`, which it rejects. */
export function toChromeStoreManifest(manifest: Manifest): Manifest {
  const { key: _key, ...rest } = manifest;
  return rest;
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((finding) => finding.severity === 'error');
}
