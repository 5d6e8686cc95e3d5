import { describe, expect, it } from 'vitest';

import { readableMeasurement } from './dap-measurement.ts';

describe('a DAP measurement for display', () => {
  it('reads as category → flag, visits, active minutes, in task order', () => {
    expect(readableMeasurement([10, 20], [1, 5, 7, 0, 0, 0])).toEqual([
      { category: 10, flag: 1, visits: 5, activeMinutes: 7 },
      { category: 20, flag: 0, visits: 0, activeMinutes: 0 },
    ]);
  });
});
