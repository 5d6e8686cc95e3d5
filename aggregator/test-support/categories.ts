/** Union-config categories and privacy bounds for aggregator tests and the benchmark. */
import type { ConfigCategory } from '../../extension/protocol/config.ts';
import { categoryTask, type CategoryTask } from '../vdaf/task.ts';

/** The default clip bounds (50 visits, 4 h active → 240 min): an 8-bit task. */
export const testPrivacy = { epsilon: 2, maxVisits: 50, maxActiveSeconds: 14_400, kThreshold: 2 };

export function testCategories(ids: readonly number[]): ConfigCategory[] {
  return ids.map((id) => ({
    id,
    key: `c-${id}`,
    label: `Category ${id}`,
    description: 'A test category.',
    domains: [],
  }));
}

export function testTask(ids: readonly number[]): CategoryTask {
  return categoryTask({ categories: testCategories(ids), privacy: testPrivacy });
}
