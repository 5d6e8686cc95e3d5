/**
 * `npm run test:firefox`: the extension in a real Firefox (test/firefox-e2e, `*.e2e.ts`), one
 * browser at a time on the e2e union port. Kept out of `npm run test:unit` (vitest.config.ts
 * only picks `*.test.ts`), because it needs `npm run build:firefox-e2e` first.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/firefox-e2e/**/*.e2e.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
