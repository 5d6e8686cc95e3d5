/** Small shared fixtures for the product tests. */
import { defaultPrivacy } from '../../../extension/protocol/privacy.ts';
import type { AggregationConfig } from '../types.ts';
import type { SimulatedCategory } from './simulate.ts';

export const simulatedCategories: readonly SimulatedCategory[] = [
  { id: 1, key: 'arts-entertainment', optIn: 0.6, meanVisits: 12, meanSeconds: 1800 },
  { id: 243, key: 'news', optIn: 0.35, meanVisits: 6, meanSeconds: 600 },
  { id: 289, key: 'shopping', optIn: 0.15, meanVisits: 30, meanSeconds: 5000 },
];

export function config(
  version: number,
  privacy: Partial<AggregationConfig['privacy']> = {},
  categories: readonly { id: number; key: string }[] = simulatedCategories,
): AggregationConfig {
  return {
    version,
    privacy: { ...defaultPrivacy, ...privacy },
    categories: categories.map(({ id, key }) => ({ id, key })),
  };
}
