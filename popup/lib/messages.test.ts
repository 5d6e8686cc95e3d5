/**
 * The English messages are the complete set: every key the UI uses exists (the MessageKey type
 * makes a missing one a compile error) and every entry is well-formed for `chrome.i18n`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

interface Entry {
  message: string;
  description?: string;
  placeholders?: Record<string, { content: string }>;
}

const root = path.resolve(import.meta.dirname, '../..');
const messages = JSON.parse(
  readFileSync(path.join(root, '_locales/en/messages.json'), 'utf8'),
) as Record<string, Entry>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

describe('English messages', () => {
  it('give every entry a message and a description for translators', () => {
    for (const [key, entry] of Object.entries(messages)) {
      expect(entry.message, key).not.toBe('');
      expect(entry.description, key).toBeTruthy();
    }
  });

  it('define every $PLACEHOLDER$ a message uses, numbered from $1', () => {
    for (const [key, entry] of Object.entries(messages)) {
      const used = [...entry.message.matchAll(/\$([A-Za-z_]+)\$/g)].map((m) => m[1]!.toLowerCase());
      const defined = Object.keys(entry.placeholders ?? {});
      expect(new Set(defined), key).toEqual(new Set(used));
      for (const placeholder of Object.values(entry.placeholders ?? {})) {
        expect(placeholder.content, key).toMatch(/^\$[1-9]$/);
      }
    }
  });

  it('contain every key the popup and onboarding pages call t() with', () => {
    const used = sourceFiles(path.join(root, 'popup')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\bt\('([A-Za-z0-9]+)'/g)].map((m) => m[1]!),
    );
    expect(used.length).toBeGreaterThan(50);
    for (const key of used) expect(messages, key).toHaveProperty(key);
  });
});
