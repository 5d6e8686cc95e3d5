import { describe, expect, it } from 'vitest';

import {
  categories,
  categoryById,
  categoryByKey,
  isSensitiveKey,
  isSensitiveTopicsId,
  OWN_ID_MIN,
  sensitiveTopics,
  sensitiveTopicsIds,
  TAXONOMY_VERSION,
} from './taxonomy.ts';
import { shippedCategories } from './taxonomy-categories.ts';
import { categoryTexts } from './taxonomy-texts.ts';
import {
  sensitiveV2Roots,
  topicsV1SensitiveRows,
  topicsV2CategoryRows,
  topicsV2SensitiveRows,
} from './taxonomy-topics.fixture.ts';

const v2CategoryPaths = new Map(topicsV2CategoryRows);
const v2SensitivePaths = new Map(topicsV2SensitiveRows);
const allTopicsPaths = new Map([
  ...topicsV2CategoryRows,
  ...topicsV2SensitiveRows,
  ...topicsV1SensitiveRows,
]);
const kebabCase = /^[a-z0-9]+(-[a-z0-9]+)*$/;

describe('the shipped taxonomy', () => {
  it('has a positive integer version', () => {
    expect(Number.isInteger(TAXONOMY_VERSION)).toBe(true);
    expect(TAXONOMY_VERSION).toBeGreaterThan(0);
  });

  it('gives every category a unique uint16 id', () => {
    const ids = categories.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(Number.isInteger(id) && id > 0 && id <= 0xffff).toBe(true);
    }
  });

  it('gives every category a unique kebab-case key', () => {
    const keys = categories.map((c) => c.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(key).toMatch(kebabCase);
  });

  it('gives every category a label, a one-sentence description and 2–4 example sites', () => {
    for (const c of categories) {
      expect(c.label.length, c.key).toBeGreaterThan(0);
      expect(c.label.length, c.key).toBeLessThanOrEqual(60);
      expect(c.description, c.key).toMatch(/^[A-Z].*\.$/);
      expect(c.description.length, c.key).toBeLessThanOrEqual(300);
      expect(c.examples.length, c.key).toBeGreaterThanOrEqual(2);
      expect(c.examples.length, c.key).toBeLessThanOrEqual(4);
    }
  });

  it('uses the Topics v2 id and path wherever a category maps to Topics v2', () => {
    for (const c of categories) {
      if (c.topicsPath === undefined) continue;
      expect(v2CategoryPaths.get(c.id), `${c.key} (${c.id})`).toBe(c.topicsPath);
    }
    // The seed's travel id (345) is v2's "Beaches & Islands", not "Travel & Transportation".
    expect(categoryByKey('travel-transportation')?.id).toBe(332);
  });

  it('gives categories without a Topics v2 entry an id from our own range', () => {
    for (const c of categories) {
      if (c.topicsPath === undefined) expect(c.id, c.key).toBeGreaterThanOrEqual(OWN_ID_MIN);
      else expect(c.id, c.key).toBeLessThan(OWN_ID_MIN);
    }
  });

  it('ships every top-level Topics v2 category that is not sensitive', () => {
    const topLevel = topicsV2CategoryRows.filter(([, path]) => path.lastIndexOf('/') === 0);
    expect(topLevel.map(([id]) => id).sort((a, b) => a - b)).toEqual([
      1, 57, 86, 100, 103, 126, 172, 180, 196, 207, 215, 226, 243, 250, 263, 272, 289, 299, 332,
    ]);
    for (const [id] of topLevel) expect(categoryById(id)).toBeDefined();
  });

  it('points each parentId at the nearest shipped ancestor of the Topics path', () => {
    for (const c of categories) {
      if (c.topicsPath === undefined) {
        expect(c.parentId, c.key).toBeUndefined();
        continue;
      }
      const path = c.topicsPath;
      const ancestors = categories.filter(
        (a) => a.topicsPath !== undefined && path.startsWith(`${a.topicsPath}/`),
      );
      const nearest = ancestors.sort(
        (a, b) => (b.topicsPath?.length ?? 0) - (a.topicsPath?.length ?? 0),
      )[0];
      expect(c.parentId, c.key).toBe(nearest?.id);
    }
  });

  it('finds categories by id and by key', () => {
    for (const c of shippedCategories) {
      expect(categoryById(c.id)).toBe(c);
      expect(categoryByKey(c.key)).toBe(c);
    }
    expect(categoryById(345)).toBeUndefined();
    expect(categoryByKey('beaches-islands')).toBeUndefined();
  });

  it('gives every shipped category its own label and description, and nothing else a text', () => {
    expect(Object.keys(categoryTexts).map(Number).sort()).toEqual(
      shippedCategories.map((c) => c.id).sort(),
    );
    expect(categories).toEqual(shippedCategories.map((c) => ({ ...c, ...categoryTexts[c.id] })));
    for (const c of categories) {
      expect(c.label.trim(), c.key).not.toBe('');
      expect(c.description.trim(), c.key).not.toBe('');
    }
  });
});

describe('the sensitive list', () => {
  it('names every subject the privacy model excludes', () => {
    expect(sensitiveTopics.map((s) => s.key).sort()).toEqual(
      [
        'adult',
        'child-directed',
        'crime',
        'dating',
        'ethnicity',
        'finance-debt',
        'gambling',
        'genetics-biometrics',
        'health',
        'politics',
        'religion',
        'sexual-orientation',
        'trade-unions',
      ].sort(),
    );
    for (const s of sensitiveTopics) {
      expect(s.key).toMatch(kebabCase);
      expect(s.reason.length).toBeGreaterThan(0);
    }
  });

  it('holds no category id and no category key', () => {
    for (const c of categories) {
      expect(isSensitiveTopicsId(c.id), `${c.key} (${c.id})`).toBe(false);
      expect(isSensitiveKey(c.key), c.key).toBe(false);
      for (const s of sensitiveTopics) expect(c.key.includes(s.key), c.key).toBe(false);
    }
  });

  it('lists only real Topics ids (v2, or v1 ids that v2 dropped)', () => {
    for (const id of sensitiveTopicsIds) {
      expect(allTopicsPaths.has(id), `Topics id ${id}`).toBe(true);
    }
    for (const [id] of [...topicsV2SensitiveRows, ...topicsV1SensitiveRows]) {
      expect(isSensitiveTopicsId(id), `Topics id ${id}`).toBe(true);
    }
  });

  it('covers every v2 entry under a wholly sensitive subtree', () => {
    for (const [id, path] of v2SensitivePaths) {
      if (sensitiveV2Roots.some((root) => path === root || path.startsWith(`${root}/`))) {
        expect(isSensitiveTopicsId(id), path).toBe(true);
      }
    }
    expect(isSensitiveTopicsId(149)).toBe(true); // /Finance
    expect(isSensitiveTopicsId(247)).toBe(true); // /News/Politics
  });

  it('keeps every shipped category outside the sensitive subtrees', () => {
    const roots = [...sensitiveV2Roots, ...topicsV1SensitiveRows.map(([, path]) => path)];
    for (const c of categories) {
      if (c.topicsPath === undefined) continue;
      const path = c.topicsPath;
      expect(
        roots.some((root) => path === root || path.startsWith(`${root}/`)),
        path,
      ).toBe(false);
    }
  });

  it('is never found by a category lookup, so a config naming it is refused as unknown', () => {
    for (const id of sensitiveTopicsIds) expect(categoryById(id)).toBeUndefined();
    for (const s of sensitiveTopics) expect(categoryByKey(s.key)).toBeUndefined();
  });
});
