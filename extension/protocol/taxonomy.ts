/**
 * The shipped category taxonomy (ids stable forever) and the sensitive list that can never be
 * enabled. Shared by the extension (what members can opt into) and the union (what configs may
 * name, what reports may carry). Derived from the Topics API taxonomy v2 (W3C licence); see
 * docs/taxonomy.md for the source, the mapping and the licence.
 *
 * Rules:
 * - a category's `id` never changes meaning; retired ids are never reused;
 * - where a category maps to a Topics v2 entry, `id` IS that Topics id, so researchers can join;
 * - nothing on the sensitive list is a category, and a config naming one is refused.
 */
export interface TaxonomyCategory {
  /** Stable id (uint16). Equal to the Topics v2 id where one maps. */
  id: number;
  /** Stable machine key, kebab-case. */
  key: string;
  label: string;
  description: string;
  /** A few well-known example sites, for the member's information. */
  examples: readonly string[];
  /** The Topics v2 path this category corresponds to, if any (e.g. "/Travel & Transportation"). */
  topicsPath?: string;
}

export interface SensitiveTopic {
  key: string;
  label: string;
  /** Why it is excluded (GDPR art. 9 special category, or our own policy). */
  reason: string;
}

/** Bumped whenever categories are added (never changed or removed). */
export const TAXONOMY_VERSION = 1;

export const categories: readonly TaxonomyCategory[] = [
  {
    id: 1,
    key: 'arts-entertainment',
    label: 'Arts & entertainment',
    description: 'Films, TV, music, streaming, celebrity news and the performing arts.',
    examples: ['netflix.com', 'imdb.com', 'spotify.com'],
    topicsPath: '/Arts & Entertainment',
  },
  {
    id: 57,
    key: 'autos-vehicles',
    label: 'Autos & vehicles',
    description: 'Cars, motorcycles and other vehicles: reviews, buying, maintenance.',
    examples: ['autotrader.com', 'caranddriver.com'],
    topicsPath: '/Autos & Vehicles',
  },
  {
    id: 289,
    key: 'shopping',
    label: 'Shopping',
    description: 'Online shops, marketplaces and price comparison.',
    examples: ['amazon.com', 'ebay.com', 'etsy.com'],
    topicsPath: '/Shopping',
  },
  {
    id: 345,
    key: 'travel-transportation',
    label: 'Travel & transportation',
    description: 'Flights, hotels, holiday rentals, maps and public transport.',
    examples: ['booking.com', 'airbnb.com', 'expedia.com'],
    topicsPath: '/Travel & Transportation',
  },
  {
    id: 243,
    key: 'news',
    label: 'News',
    description: 'General news sites and newspapers.',
    examples: ['bbc.com', 'reuters.com', 'theguardian.com'],
    topicsPath: '/News',
  },
];

export const sensitiveTopics: readonly SensitiveTopic[] = [
  { key: 'health', label: 'Health', reason: 'GDPR art. 9: data concerning health' },
  { key: 'sexual-orientation', label: 'Sexual orientation and sex life', reason: 'GDPR art. 9' },
  { key: 'religion', label: 'Religion and beliefs', reason: 'GDPR art. 9: religious beliefs' },
  { key: 'politics', label: 'Politics', reason: 'GDPR art. 9: political opinions' },
  { key: 'ethnicity', label: 'Racial or ethnic origin', reason: 'GDPR art. 9' },
  { key: 'trade-unions', label: 'Trade-union membership', reason: 'GDPR art. 9' },
  { key: 'genetics-biometrics', label: 'Genetic and biometric data', reason: 'GDPR art. 9' },
  { key: 'adult', label: 'Adult content', reason: 'sex life (GDPR art. 9) and our policy' },
  { key: 'gambling', label: 'Gambling', reason: 'vulnerability; our policy' },
  {
    key: 'finance-debt',
    label: 'Personal finance and debt',
    reason: 'financial distress; our policy',
  },
  { key: 'dating', label: 'Dating', reason: 'sex life (GDPR art. 9)' },
  { key: 'child-directed', label: 'Child-directed content', reason: 'children’s data; our policy' },
  { key: 'crime', label: 'Crime and criminal records', reason: 'GDPR art. 10' },
];

const byId = new Map(categories.map((c) => [c.id, c]));
const sensitiveKeys = new Set(sensitiveTopics.map((s) => s.key));

export function categoryById(id: number): TaxonomyCategory | undefined {
  return byId.get(id);
}

export function isSensitiveKey(key: string): boolean {
  return sensitiveKeys.has(key);
}
