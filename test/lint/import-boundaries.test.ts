/**
 * Proves the lint configuration enforces DESIGN §1's import boundaries: each fixture in
 * test/lint-fixtures/ is linted with the project's real ESLint config as if it lived at the path
 * named in its first line, and must be reported by the expected rule.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const fixtures = path.join(root, 'test/lint-fixtures');

async function lintAs(fixture: string) {
  const source = readFileSync(path.join(fixtures, fixture), 'utf8');
  const target = /^\/\/ lint-as: (\S+)/.exec(source)?.[1];
  if (!target) throw new Error(`${fixture} has no lint-as line`);
  const eslint = new ESLint({
    cwd: root,
    // Fixtures are not part of the TypeScript project; type-aware rules are irrelevant here.
    overrideConfig: [tseslint.configs.disableTypeChecked],
  });
  const [result] = await eslint.lintText(source, { filePath: path.join(root, target) });
  return (result?.messages ?? []).map((m) => ({ rule: m.ruleId, line: m.line }));
}

describe('import boundaries (DESIGN §1)', () => {
  it('reports the pure core importing the popup', async () => {
    expect(await lintAs('core-imports-popup.ts')).toContainEqual({
      rule: 'import-x/no-restricted-paths',
      line: 2,
    });
  });

  it('reports the pure core touching the chrome global', async () => {
    expect(await lintAs('core-uses-chrome.ts')).toContainEqual({
      rule: 'no-restricted-globals',
      line: 2,
    });
  });

  it('reports the pure core importing the browser polyfill', async () => {
    expect(await lintAs('core-imports-polyfill.ts')).toContainEqual({
      rule: 'no-restricted-imports',
      line: 2,
    });
  });

  it('reports the popup importing the service worker', async () => {
    expect(await lintAs('popup-imports-background.ts')).toContainEqual({
      rule: 'import-x/no-restricted-paths',
      line: 2,
    });
  });

  it('lets the union import shared wire formats but not extension adapters', async () => {
    const messages = await lintAs('union-imports-core.ts');
    const boundary = messages.filter((m) => m.rule === 'import-x/no-restricted-paths');
    expect(boundary).toEqual([{ rule: 'import-x/no-restricted-paths', line: 3 }]);
  });

  // Imports are resolved the way TypeScript resolves them, so leaving out `.ts` (or naming a
  // folder's index) cannot slip past a boundary.
  it('reports the pure core importing the popup without the .ts extension', async () => {
    expect(await lintAs('core-imports-popup-extensionless.ts')).toContainEqual({
      rule: 'import-x/no-restricted-paths',
      line: 2,
    });
  });

  it('reports the pure core importing the popup as client.js (TypeScript maps it to client.ts)', async () => {
    expect(await lintAs('core-imports-popup-js-extension.ts')).toContainEqual({
      rule: 'import-x/no-restricted-paths',
      line: 2,
    });
  });

  it('reports the popup importing the service worker folder (its index.ts)', async () => {
    expect(await lintAs('popup-imports-background-folder.ts')).toContainEqual({
      rule: 'import-x/no-restricted-paths',
      line: 2,
    });
  });

  it("keeps the DAP helper off the leader's storage but lets it share the DAP codec", async () => {
    const messages = await lintAs('aggregator-helper-imports-leader-store.ts');
    const boundary = messages.filter((m) => m.rule === 'import-x/no-restricted-paths');
    expect(boundary).toEqual([{ rule: 'import-x/no-restricted-paths', line: 2 }]);
  });

  it("reports the aggregators importing the union's database", async () => {
    expect(await lintAs('aggregator-imports-union-db.ts')).toContainEqual({
      rule: 'import-x/no-restricted-paths',
      line: 2,
    });
  });

  it('lets the aggregators import the shared DAP task shape but not the extension core', async () => {
    const messages = await lintAs('aggregator-imports-extension-core.ts');
    const boundary = messages.filter((m) => m.rule === 'import-x/no-restricted-paths');
    expect(boundary).toEqual([{ rule: 'import-x/no-restricted-paths', line: 3 }]);
  });

  it('keeps shared-db/ free of the union and the aggregators (no schema leaks through it)', async () => {
    const messages = await lintAs('shared-db-imports-union-and-aggregator.ts');
    const boundary = messages.filter((m) => m.rule === 'import-x/no-restricted-paths');
    expect(boundary).toEqual([
      { rule: 'import-x/no-restricted-paths', line: 2 },
      { rule: 'import-x/no-restricted-paths', line: 3 },
    ]);
  });

  it('tells extensionless shared wire formats from extensionless extension internals', async () => {
    const messages = await lintAs('union-imports-core-extensionless.ts');
    const boundary = messages.filter((m) => m.rule === 'import-x/no-restricted-paths');
    expect(boundary).toEqual([{ rule: 'import-x/no-restricted-paths', line: 3 }]);
  });
});
