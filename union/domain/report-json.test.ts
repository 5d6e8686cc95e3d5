import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { canonicalJson } from '../../extension/protocol/canonical-json.ts';
import { canonicalReportJson } from './report-json.ts';

describe('canonical report JSON', () => {
  it('equals the generic canonical JSON encoder for any report', () => {
    fc.assert(
      fc.property(
        fc
          .record({
            member: fc.string(),
            epochStart: fc.maxSafeNat(),
            epochSeconds: fc.nat(),
            configVersion: fc.nat(),
            counts: fc.array(
              fc.record({ category: fc.nat(), visits: fc.integer(), activeSeconds: fc.integer() }),
            ),
          })
          .map((r) => JSON.parse(JSON.stringify(r)) as typeof r), // plain prototypes, as JSON.parse makes
        (report) => {
          expect(canonicalReportJson(report)).toBe(canonicalJson(report));
        },
      ),
    );
  });
});
