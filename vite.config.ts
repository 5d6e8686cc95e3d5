import { crx } from '@crxjs/vite-plugin';
import preact from '@preact/preset-vite';
import { defineConfig, loadEnv } from 'vite';

import manifest from './manifest.json' with { type: 'json' };

/**
 * `npm run build` is the production build (`dist/`). `npm run build:e2e` builds with
 * `--mode e2e` into `dist-e2e/`: only that mode compiles in the service worker's test hooks
 * (`background/test-hooks.ts`, guarded by `import.meta.env.MODE === 'e2e'`).
 *
 * The service worker fetches from the union, so the union's origin (VITE_UNION_URL, default the
 * local union on 127.0.0.1:8787) is added to `host_permissions` — that origin only, plus the DAP
 * leader's (VITE_LEADER_URL) when the leader is not served under the union's origin.
 */
export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, process.cwd(), 'VITE_');
  const unionOrigin = new URL(env.VITE_UNION_URL ?? 'http://127.0.0.1:8787').origin;
  // A DAP leader on another origin than the union (VITE_LEADER_URL) needs its own permission:
  // the worker's PUT of a report is cross-origin, and the leader sends no CORS headers.
  const leaderOrigins = env.VITE_LEADER_URL ? [`${new URL(env.VITE_LEADER_URL).origin}/*`] : [];
  const hostPermissions = [
    ...new Set([...manifest.host_permissions, `${unionOrigin}/*`, ...leaderOrigins]),
  ];
  return {
    plugins: [preact(), crx({ manifest: { ...manifest, host_permissions: hostPermissions } })],
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      target: 'chrome120',
      sourcemap: false,
      // Constant inlining copies tldts's 68 KB public-suffix label string into each of its three
      // uses (+65 KB gz in the service worker); references are as fast and a third of the size.
      rolldownOptions: {
        // Pages the manifest does not name: the onboarding page opened on install, and Chrome's
        // offscreen document that builds DAP reports (a service worker may not `import()`).
        input: {
          onboarding: 'popup/onboarding/index.html',
          dapOffscreen: 'background/dap-offscreen/index.html',
        },
        optimization: { inlineConst: false },
      },
    },
    // The DAP report worker (background/dap-offscreen/dap-worker.ts) is an ES module worker.
    worker: { format: 'es' },
    server: { strictPort: true, port: 5173 },
  };
});
