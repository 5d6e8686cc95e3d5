/**
 * Builds the extension for one union: the union URL, chain id, DataUnion, admin address and app
 * secret are baked in at build time (`background/union-settings.ts` reads them). `npm start`
 * builds `dist/` this way; the money-loop e2e tests build their own folders with the test hooks,
 * for Chromium and (`browser: 'firefox'`, manifest rewritten as `npm run build:firefox` does) for
 * Firefox.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { rewriteForFirefox } from '../../build-firefox.ts';
import type { Deployment } from '../../contracts/deploy.ts';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

export interface ExtensionTarget {
  unionUrl: string;
  deployment: Pick<Deployment, 'chainId' | 'dataUnion' | 'admin'>;
  /** Baked into the build so the member joins at once; production builds leave it out. */
  appSecret?: string;
  /** The DAP leader when it is not served under the union's origin: the build grants it. */
  leaderUrl?: string;
}

/** The `VITE_*` variables the extension reads at build time. */
export function extensionBuildEnv(target: ExtensionTarget): Record<string, string> {
  return {
    VITE_UNION_URL: target.unionUrl,
    VITE_CHAIN_ID: target.deployment.chainId,
    VITE_DATA_UNION_ADDRESS: target.deployment.dataUnion,
    VITE_ADMIN_ADDRESS: target.deployment.admin,
    ...(target.appSecret === undefined ? {} : { VITE_APP_SECRET: target.appSecret }),
    ...(target.leaderUrl === undefined ? {} : { VITE_LEADER_URL: target.leaderUrl }),
  };
}

export interface BuildOptions {
  /** Output folder, relative to the repository (default `dist`). */
  outDir?: string;
  /**
   * `e2e` compiles in the test hooks; `development` (npm start) and `e2e` allow the development
   * privacy limits (one-minute epochs, small k) and say so in the popup; default production.
   */
  mode?: 'production' | 'development' | 'e2e';
  /** Inherit stdio (npm start) or stay quiet unless it fails (tests). */
  quiet?: boolean;
  /** `firefox` rewrites the built manifest for Firefox MV3 (default `chromium`). */
  browser?: 'chromium' | 'firefox';
}

/** Runs `vite build` for `target`; throws with vite's output when the build fails. */
export function buildExtension(target: ExtensionTarget, options: BuildOptions = {}): void {
  const outDir = options.outDir ?? 'dist';
  const args = ['vite', 'build', '--logLevel', 'warn', '--outDir', outDir];
  if (options.mode && options.mode !== 'production') args.push('--mode', options.mode);
  const build = spawnSync('npx', args, {
    cwd: repoRoot,
    stdio: options.quiet ? 'pipe' : 'inherit',
    encoding: 'utf8',
    env: { ...process.env, ...extensionBuildEnv(target) },
  });
  if (build.status !== 0) {
    const output = options.quiet ? `\n${build.stdout}${build.stderr}` : ' (see above)';
    throw new Error(`The extension build failed${output}`);
  }
  if (options.browser === 'firefox') rewriteForFirefox(path.join(repoRoot, outDir));
}
