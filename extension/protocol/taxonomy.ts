/**
 * The shipped category taxonomy (ids stable forever) and the sensitive list that can never be
 * enabled. Shared by the extension (what members can opt into) and the union (what configs may
 * name, what reports may carry). Derived from the Topics API taxonomy v2 (W3C licence); see
 * docs/taxonomy.md for the source, the mapping and the licence.
 *
 * Rules:
 * - a category's `id` never changes meaning; retired ids are never reused;
 * - where a category maps to a Topics v2 entry, `id` IS that Topics id, so researchers can join;
 *   categories of our own take ids from `OWN_ID_MIN` up, far above any Topics id;
 * - nothing on the sensitive list is a category, and a config naming one is refused: no category
 *   key is a sensitive key and no category id is a Topics id that falls under a sensitive topic.
 */
import { shippedCategories } from './taxonomy-categories.ts';
import { sensitiveTopicList } from './taxonomy-sensitive.ts';
import { categoryTexts } from './taxonomy-texts.ts';

/** A shipped category as the device needs it: what it is and which sites illustrate it. */
export interface ShippedCategory {
  /** Stable id (uint16). Equal to the Topics v2 id where one maps. */
  id: number;
  /** Stable machine key, kebab-case. */
  key: string;
  /** A few well-known example sites, for the member's information. */
  examples: readonly string[];
  /**
   * The nearest broader *shipped* category (e.g. "Movie & TV streaming" → "Arts &
   * entertainment"). A site rule for a category the union's config does not list counts for
   * this parent instead, if the config lists it.
   */
  parentId?: number;
}

/** What people read about a shipped category (taxonomy-texts.ts). */
export interface CategoryText {
  label: string;
  description: string;
  /** The Topics v2 path this category corresponds to, if any (e.g. "/Travel & Transportation"). */
  topicsPath?: string;
}

export interface TaxonomyCategory extends ShippedCategory, CategoryText {}

export interface SensitiveTopic {
  key: string;
  label: string;
  /** Why it is excluded (GDPR art. 9 special category, or our own policy). */
  reason: string;
  /**
   * Topics ids (v2, and v1 ids that v2 dropped) whose subject falls under this topic. Whole
   * subtrees are listed id by id. None of them can ever be a category.
   */
  topicsIds: readonly number[];
}

/** Bumped whenever categories are added (never changed or removed). */
export const TAXONOMY_VERSION = 2;

/** Ids of categories that have no Topics v2 entry start here (Topics ids are below 1000). */
export const OWN_ID_MIN = 10_000;

function withTexts(shipped: readonly ShippedCategory[]): TaxonomyCategory[] {
  return shipped.map((c) => ({ ...c, ...categoryTexts[c.id]! }));
}

/**
 * Every shipped category with its texts, for the union, the console and the docs. Pure, so a
 * bundle that never reads it (the service worker) leaves it and the texts out.
 */
export const categories: readonly TaxonomyCategory[] = /* @__PURE__ */ withTexts(shippedCategories);

export const sensitiveTopics: readonly SensitiveTopic[] = sensitiveTopicList;

/** Every Topics id that falls under a sensitive topic; never a category id. */
export const sensitiveTopicsIds: ReadonlySet<number> = new Set(
  sensitiveTopics.flatMap((s) => s.topicsIds),
);

const sensitiveKeys = new Set(sensitiveTopics.map((s) => s.key));

export function isSensitiveKey(key: string): boolean {
  return sensitiveKeys.has(key);
}

export function isSensitiveTopicsId(id: number): boolean {
  return sensitiveTopicsIds.has(id);
}

// Defence in depth: a category that ever landed on the sensitive side is invisible to lookups, so
// a config naming it is refused as unknown even before the taxonomy tests catch the mistake.
// Lookups give the device's view (no texts): what every caller needs, and light in the worker.
const usable = shippedCategories.filter(
  (c) => !isSensitiveTopicsId(c.id) && !isSensitiveKey(c.key),
);
const byId = new Map(usable.map((c) => [c.id, c]));
const byKey = new Map(usable.map((c) => [c.key, c]));

export function categoryById(id: number): ShippedCategory | undefined {
  return byId.get(id);
}

export function categoryByKey(key: string): ShippedCategory | undefined {
  return byKey.get(key);
}
