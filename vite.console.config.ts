import { fileURLToPath } from 'node:url';

import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

/**
 * The console (admin and researcher web app) and the marketplace page, served by the union from
 * `dist-console/` at `/` and `/marketplace` (union/http/console-static.ts). `npm run
 * build:console`. `npm run build:marketplace` (mode `marketplace`) builds the marketplace page
 * alone as a static site in `dist-marketplace/`, its Marketplace named by `VITE_MARKETPLACE_*`
 * variables (README). In development, `vite --config vite.console.config.ts` proxies the API to a
 * local union on 127.0.0.1:8787.
 */
const page = (name: string) => fileURLToPath(new URL(`./console/${name}`, import.meta.url));

export default defineConfig(({ mode }) => ({
  root: 'console',
  base: mode === 'marketplace' ? './' : '/',
  plugins: [preact()],
  build: {
    outDir: mode === 'marketplace' ? '../dist-marketplace' : '../dist-console',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    rollupOptions: {
      input:
        mode === 'marketplace'
          ? { marketplace: page('marketplace.html') }
          : { index: page('index.html'), marketplace: page('marketplace.html') },
    },
  },
  server: {
    strictPort: true,
    port: 5174,
    proxy: { '/v1': 'http://127.0.0.1:8787' },
  },
}));
