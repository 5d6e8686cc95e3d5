/** fast-check generators of accounting event logs, shared by the property tests. */
import fc from 'fast-check';

import type { AccountingEvent } from './events.ts';
import { FEE_SCALE } from './inputs.ts';

export const ADDRESSES = [
  '0x1111111111111111111111111111111111111111',
  '0x2222222222222222222222222222222222222222',
  '0xAaAaaAaAaaAaAaAaaAaAAAaAaAaaaaAAaAaAaaAA', // mixed case on purpose
  '0x4444444444444444444444444444444444444444',
  '0x5555555555555555555555555555555555555555',
];

/** An event waiting for its time: `dt` seconds after the previous one (may be negative). */
interface Draft {
  readonly dt: number;
  readonly make: (at: number) => AccountingEvent;
}

const address = fc.constantFrom(...ADDRESSES);
const step = fc.nat(5);
const amount = fc.oneof(
  fc.bigInt({ min: 0n, max: 1000n }),
  fc.bigInt({ min: 0n, max: 10n ** 24n }),
  fc.constant((1n << 200n) + 7n),
);
const revenueId = fc.nat(30).map((n) => `0x${n.toString(16).padStart(64, 'a')}:${n % 3}`);
const fraction = fc.oneof(fc.bigInt({ min: 0n, max: FEE_SCALE }), fc.constant(FEE_SCALE + 1n));

// Weighted so that several members are often earning at once (remainders of 2+ need 3+).
const draft: fc.Arbitrary<Draft> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.tuple(address, step).map(([a, dt]) => ({
      dt,
      make: (at: number): AccountingEvent => ({ type: 'member-joined', address: a, at }),
    })),
  },
  {
    weight: 4,
    arbitrary: fc.tuple(address, fc.boolean(), fc.boolean(), step).map(([a, x, y, dt]) => ({
      dt,
      make: (at: number): AccountingEvent => ({
        type: 'member-activity-changed',
        address: a,
        active: x || y, // active three times in four
        at,
      }),
    })),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(address, fc.boolean(), step).map(([a, removed, dt]) => ({
      dt,
      make: (at: number): AccountingEvent => ({
        type: removed ? 'member-removed' : 'member-left',
        address: a,
        at,
      }),
    })),
  },
  {
    weight: 5, // -1 sends the clock backwards now and then
    arbitrary: fc
      .tuple(revenueId, amount, fc.integer({ min: -1, max: 10 }))
      .map(([id, value, dt]) => ({
        dt,
        make: (at: number): AccountingEvent => ({
          type: 'revenue-received',
          id,
          amount: value,
          at,
        }),
      })),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(fraction, step).map(([value, dt]) => ({
      dt,
      make: (at: number): AccountingEvent => ({ type: 'admin-fee-set', fraction: value, at }),
    })),
  },
);

/** Logs of up to `maxLength` events over 5 members, times mostly increasing. */
export function eventLog(maxLength = 80): fc.Arbitrary<AccountingEvent[]> {
  return fc.array(draft, { maxLength, size: 'max' }).map((drafts) => {
    let at = 1_000;
    return drafts.map(({ dt, make }) => make((at = Math.max(0, at + dt))));
  });
}

export const minimumAges = fc.constantFrom(0, 1, 7, 30);
export const fees = fc.oneof(
  fc.constantFrom(0n, FEE_SCALE / 10n, FEE_SCALE),
  fc.bigInt({ min: 0n, max: FEE_SCALE }),
);
