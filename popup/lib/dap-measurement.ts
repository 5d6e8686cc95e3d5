/**
 * A DAP measurement as "What was sent" shows it: the vector (`extension/protocol/dap-task.ts`:
 * per category, in task order, contributed flag, visits, active minutes) as one row per category.
 */
import { ENTRIES_PER_CATEGORY } from '../../extension/protocol/dap-task.ts';

export interface ReadableEntry {
  readonly category: number;
  readonly flag: number;
  readonly visits: number;
  readonly activeMinutes: number;
}

export function readableMeasurement(
  categoryIds: readonly number[],
  measurement: readonly number[],
): ReadableEntry[] {
  return categoryIds.map((category, i) => {
    const at = (k: number) => measurement[i * ENTRIES_PER_CATEGORY + k] ?? 0;
    return { category, flag: at(0), visits: at(1), activeMinutes: at(2) };
  });
}
