import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

/**
 * The console (admin and researcher web app), served by the union from `dist-console/` at `/`
 * (union/http/console-static.ts). `npm run build:console`. In development, `vite --config
 * vite.console.config.ts` proxies the API to a local union on 127.0.0.1:8787.
 */
export default defineConfig({
  root: 'console',
  base: '/',
  plugins: [preact()],
  build: {
    outDir: '../dist-console',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    strictPort: true,
    port: 5174,
    proxy: { '/v1': 'http://127.0.0.1:8787' },
  },
});
