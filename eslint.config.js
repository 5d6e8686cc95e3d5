// @ts-check
import js from '@eslint/js';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Import boundaries from DESIGN §1, enforced here so a forbidden import fails `npm run lint`:
 * - extension/ (the pure core) imports nothing from background/, popup/, union/, console/;
 * - popup/ never imports background/ (it talks to it through the typed client);
 * - union/ and console/ may import only extension/protocol/ (shared wire formats) from extension/;
 * - nothing imports union/ server code into browser bundles;
 * - aggregator/ (DAP leader and helper) imports nothing from union/ and only extension/protocol/
 *   (the signed config's rules, the DAP task shape) from extension/, and neither aggregator imports
 *   the other's folder, so the helper has no code path to the leader's storage;
 * - shared-db/ (the SQL driver seam, the migration runner, test databases) is neutral ground both
 *   the union and the aggregators use: it imports neither, so no schema or repository leaks through.
 * Imports are resolved as TypeScript (moduleResolution "Bundler") resolves them, so a boundary holds
 * whether an import names `client.ts`, `client`, `client.js` or a folder's `index.ts`.
 */
export const boundaryZones = [
  {
    target: './extension',
    from: ['./background', './popup', './union', './console'],
    message: 'extension/ is the pure core: it may not import adapters, UI or the union.',
  },
  {
    target: './extension',
    from: './aggregator',
    except: ['./client', './dap'],
    message:
      'extension/ may import only the DAP client pieces (aggregator/client, aggregator/dap: pure codecs, HPKE sealing), never the aggregators themselves.',
  },
  {
    target: './popup',
    from: ['./background', './union', './console'],
    message: 'popup/ talks to the service worker through popup/client.ts only.',
  },
  {
    target: './background',
    from: ['./popup', './union', './console'],
    message: 'background/ is the service worker adapter: it wires extension/ only.',
  },
  {
    target: './union',
    from: './extension',
    except: ['./protocol'],
    message: 'union/ may import only the shared wire formats in extension/protocol/.',
  },
  {
    target: './union',
    from: ['./background', './popup'],
    message: 'union/ runs in Node and may not import extension adapters or UI.',
  },
  {
    target: './console',
    from: './extension',
    except: ['./protocol'],
    message: 'console/ may import only the shared wire formats in extension/protocol/.',
  },
  {
    target: './console',
    from: ['./background', './popup', './union'],
    message: 'console/ is a browser app: it talks to the union over HTTP only.',
  },
  {
    target: './demo',
    from: ['./background', './popup'],
    message: 'demo/ runs the extension core in Node: no service worker or popup code.',
  },
  {
    target: './aggregator',
    from: ['./union', './background', './popup', './console'],
    message:
      'aggregator/ (DAP leader and helper) has its own storage: no union repositories or database.',
  },
  {
    target: './aggregator',
    from: './extension',
    except: ['./protocol'],
    message:
      'aggregator/ may import only the shared rules in extension/protocol/ (the config rules and the DAP task shape), not the extension core.',
  },
  {
    target: './aggregator/helper',
    from: './aggregator/leader',
    message:
      "The DAP helper is run by another organisation: it has no code path to the leader's storage.",
  },
  {
    target: './aggregator/leader',
    from: './aggregator/helper',
    message: "The DAP leader has no code path to the helper's storage.",
  },
  {
    target: './shared-db',
    from: ['./union', './aggregator', './extension', './background', './popup', './console'],
    message:
      'shared-db/ is shared by the union and the aggregators: drivers and migration runner only, no schema or repository.',
  },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'dist-e2e/',
      'dist-console/',
      'dist-marketplace/',
      'dist-factory-union/',
      'dist-firefox/',
      'dist-firefox-e2e/',
      'dist-money-loop/',
      'dist-firefox-money-loop/',
      '.crowdsell/',
      'test-results/',
      'playwright-report/',
      'artifacts/',
      'contracts/artifacts/',
      'test/lint-fixtures/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js', 'hardhat.config.cjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node, ...globals.browser },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json'],
          extensionAlias: { '.js': ['.ts', '.tsx', '.js'], '.mjs': ['.mts', '.mjs'] },
        }),
      ],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'import-x/no-restricted-paths': ['error', { zones: boundaryZones }],
      'import-x/no-cycle': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // The pure core never touches browser APIs or the DOM.
    files: ['extension/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'chrome', message: 'extension/ is pure: pass browser data in from background/.' },
        { name: 'browser', message: 'extension/ is pure: pass browser data in from background/.' },
        { name: 'document', message: 'extension/ has no DOM.' },
        { name: 'window', message: 'extension/ has no DOM.' },
      ],
      'no-restricted-imports': [
        'error',
        { name: 'webextension-polyfill', message: 'extension/ is pure: no browser APIs.' },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
