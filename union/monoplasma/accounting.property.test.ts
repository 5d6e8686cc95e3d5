import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { ADDRESSES, eventLog, fees, minimumAges } from './accounting/event-arbitrary.ts';
import { ReferenceAccounting } from './accounting/reference-model.ts';
import {
  AccountingError,
  eventFromJson,
  eventToJson,
  MonoplasmaAccounting,
  type AccountingEvent,
} from './accounting.ts';

/** Applies an event; a refusal must be an AccountingError and leave the state untouched. */
function applyOrRefuse(
  accounting: MonoplasmaAccounting,
  event: AccountingEvent,
): 'applied' | 'duplicate' | 'refused' {
  const before = JSON.stringify(accounting.toJSON());
  try {
    return accounting.apply(event) ? 'applied' : 'duplicate';
  } catch (error) {
    expect(error).toBeInstanceOf(AccountingError);
    expect(JSON.stringify(accounting.toJSON())).toBe(before);
    return 'refused';
  }
}

function sumOfTotals(accounting: MonoplasmaAccounting): bigint {
  return accounting.snapshot().members.reduce((sum, m) => sum + m.total, 0n);
}

const settings = fc.record({ fee: fees, minAge: minimumAges });

describe('accounting over random event logs', () => {
  it('keeps Σ member totals + admin total + carried remainder equal to Σ revenue after every event', () => {
    fc.assert(
      fc.property(settings, eventLog(), ({ fee, minAge }, log) => {
        const accounting = new MonoplasmaAccounting({
          adminFeeFraction: fee,
          minMembershipAgeSeconds: minAge,
        });
        let revenue = 0n;
        for (const event of log) {
          if (applyOrRefuse(accounting, event) === 'applied' && event.type === 'revenue-received') {
            revenue += event.amount;
          }
          expect(
            sumOfTotals(accounting) + accounting.adminTotal + accounting.carriedRemainder,
          ).toBe(revenue);
          expect(accounting.totalRevenue).toBe(revenue);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never lowers a member total or the admin total', () => {
    fc.assert(
      fc.property(settings, eventLog(), ({ fee, minAge }, log) => {
        const accounting = new MonoplasmaAccounting({
          adminFeeFraction: fee,
          minMembershipAgeSeconds: minAge,
        });
        let previous = ADDRESSES.map(() => 0n);
        let previousAdmin = 0n;
        for (const event of log) {
          applyOrRefuse(accounting, event);
          const totals = ADDRESSES.map((a) => accounting.totalOf(a));
          totals.forEach((t, i) => expect(t).toBeGreaterThanOrEqual(previous[i]!));
          expect(accounting.adminTotal).toBeGreaterThanOrEqual(previousAdmin);
          previous = totals;
          previousAdmin = accounting.adminTotal;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives exactly the totals of the obvious loop-over-every-member implementation', () => {
    fc.assert(
      fc.property(settings, eventLog(), ({ fee, minAge }, log) => {
        const accounting = new MonoplasmaAccounting({
          adminFeeFraction: fee,
          minMembershipAgeSeconds: minAge,
        });
        const reference = new ReferenceAccounting(fee, minAge);
        for (const event of log) {
          expect(applyOrRefuse(accounting, event)).toBe(reference.apply(event));
          for (const a of ADDRESSES) expect(accounting.totalOf(a)).toBe(reference.totalOf(a));
          expect(accounting.adminTotal).toBe(reference.adminTotal);
          expect(accounting.carriedRemainder).toBe(reference.remainder);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('replays a log into the same state, also when saved to JSON and restored along the way', () => {
    fc.assert(
      fc.property(settings, eventLog(), fc.array(fc.nat(80)), ({ fee, minAge }, log, cuts) => {
        const options = { adminFeeFraction: fee, minMembershipAgeSeconds: minAge };
        let live = new MonoplasmaAccounting(options);
        const accepted: AccountingEvent[] = [];
        log.forEach((event, i) => {
          if (applyOrRefuse(live, event) === 'applied') accepted.push(event);
          if (cuts.includes(i)) {
            live = MonoplasmaAccounting.fromJSON(JSON.parse(JSON.stringify(live.toJSON())));
          }
        });
        // The published log travels as JSON too.
        const published = JSON.parse(JSON.stringify(accepted.map(eventToJson))) as unknown[];
        const replayed = MonoplasmaAccounting.replay(published.map(eventFromJson), options);
        expect(replayed.toJSON()).toEqual(live.toJSON());
        expect(replayed.snapshot()).toEqual(live.snapshot());
      }),
      { numRuns: 200 },
    );
  });

  it('does per-member work only for member events, at most twice per event (join, then maturity)', () => {
    fc.assert(
      fc.property(settings, eventLog(), ({ fee, minAge }, log) => {
        const accounting = new MonoplasmaAccounting({
          adminFeeFraction: fee,
          minMembershipAgeSeconds: minAge,
        });
        let memberEvents = 0;
        for (const event of log) {
          const outcome = applyOrRefuse(accounting, event);
          if (outcome === 'applied' && event.type.startsWith('member-')) memberEvents++;
        }
        expect(accounting.memberWork).toBeLessThanOrEqual(2 * memberEvents);
      }),
      { numRuns: 200 },
    );
  });
});
