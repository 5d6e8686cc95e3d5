import { describe, expect, it } from 'vitest';

import {
  AccountingError,
  FEE_SCALE,
  MonoplasmaAccounting,
  treeEntries,
  type AccountingStateJson,
} from './accounting.ts';

const A = '0x1111111111111111111111111111111111111111';
const B = '0x2222222222222222222222222222222222222222';
const C = '0x3333333333333333333333333333333333333333';
const tenPercent = FEE_SCALE / 10n;

function union(options: ConstructorParameters<typeof MonoplasmaAccounting>[0] = {}) {
  const accounting = new MonoplasmaAccounting(options);
  const join = (address: string, at: number) => {
    accounting.memberJoined(address, at);
    accounting.memberActivityChanged(address, true, at);
  };
  return { accounting, join };
}

describe('revenue sharing', () => {
  it('gives the admin floor(R · fee) and splits the rest equally, carrying the remainder', () => {
    const { accounting, join } = union({ adminFeeFraction: tenPercent });
    join(A, 0);
    join(B, 0);
    join(C, 0);
    accounting.revenue('0xaa:0', 1001n, 1); // admin 100; 901 = 3 · 300 + 1
    expect(accounting.adminTotal).toBe(100n);
    expect([A, B, C].map((m) => accounting.totalOf(m))).toEqual([300n, 300n, 300n]);
    expect(accounting.carriedRemainder).toBe(1n);
    accounting.revenue('0xaa:1', 20n, 2); // admin 2; 18 + 1 = 3 · 6 + 1
    expect([A, B, C].map((m) => accounting.totalOf(m))).toEqual([306n, 306n, 306n]);
    expect(accounting.carriedRemainder).toBe(1n);
  });

  it('gives everything to the admin while nobody earns, as Monoplasma does', () => {
    const { accounting } = union({ adminFeeFraction: tenPercent });
    accounting.memberJoined(A, 0); // joined but not yet active
    accounting.revenue('0xaa:0', 1000n, 1);
    expect(accounting.adminTotal).toBe(1000n);
    expect(accounting.totalOf(A)).toBe(0n);
  });

  it('stops a leaving member’s earnings but keeps every token earned, also across a re-join', () => {
    const { accounting, join } = union();
    join(A, 0);
    join(B, 0);
    accounting.revenue('0xaa:0', 100n, 1);
    accounting.memberLeft(A, 2);
    accounting.revenue('0xaa:1', 100n, 3);
    expect(accounting.totalOf(A)).toBe(50n);
    expect(accounting.totalOf(B)).toBe(150n);
    join(A, 4);
    accounting.revenue('0xaa:2', 100n, 5);
    expect(accounting.totalOf(A)).toBe(100n);
    expect(accounting.member(A)).toMatchObject({ status: 'member', joinedAt: 4, earning: true });
  });

  it('treats an inactive member like one who left, until they are active again', () => {
    const { accounting, join } = union();
    join(A, 0);
    join(B, 0);
    accounting.memberActivityChanged(B, false, 1);
    accounting.revenue('0xaa:0', 100n, 2);
    accounting.memberActivityChanged(B, true, 3);
    accounting.revenue('0xaa:1', 100n, 4);
    expect(accounting.totalOf(A)).toBe(150n);
    expect(accounting.totalOf(B)).toBe(50n);
  });

  it('processes each revenue id once, whatever its letter case, and refuses a changed amount', () => {
    const { accounting, join } = union();
    join(A, 0);
    expect(accounting.revenue('0xAB:3', 100n, 1)).toBe(true);
    expect(accounting.revenue('0xab:3', 100n, 2)).toBe(false);
    expect(accounting.totalOf(A)).toBe(100n);
    expect(() => accounting.revenue('0xab:3', 101n, 2)).toThrow(
      expect.objectContaining({ code: 'ACCOUNTING_REVENUE_CONFLICT' }),
    );
  });

  it('applies a new admin fee to later revenue only', () => {
    const { accounting, join } = union();
    join(A, 0);
    accounting.revenue('0xaa:0', 100n, 1);
    accounting.setAdminFee(FEE_SCALE / 4n, 2);
    accounting.revenue('0xaa:1', 100n, 3);
    expect(accounting.adminTotal).toBe(25n);
    expect(accounting.totalOf(A)).toBe(175n);
  });

  it('does no per-member work for a revenue event, with 100,000 members as with 2', () => {
    for (const size of [2, 100_000]) {
      const { accounting, join } = union({ adminFeeFraction: tenPercent });
      for (let i = 0; i < size; i++) join(`0x${i.toString(16).padStart(40, '0')}`, 0);
      const work = accounting.memberWork;
      for (let r = 0; r < 1000; r++) accounting.revenue(`0x${r.toString(16)}:0`, 1_000_003n, 1 + r);
      expect(accounting.memberWork).toBe(work);
      // With the remainder carried, equal members get exactly floor(Σ member shares / members).
      const memberShares = 1000n * (1_000_003n - 100_000n);
      expect(accounting.totalOf(`0x${'0'.repeat(40)}`)).toBe(memberShares / BigInt(size));
    }
  });
});

describe('sybil damping', () => {
  const day = 86_400;

  it('starts a member’s earnings only once the minimum membership age is reached, with no extra event', () => {
    const { accounting, join } = union({ minMembershipAgeSeconds: 7 * day });
    join(A, 0);
    accounting.revenue('0xaa:0', 100n, 7 * day - 1);
    expect(accounting.totalOf(A)).toBe(0n);
    expect(accounting.adminTotal).toBe(100n);
    accounting.revenue('0xaa:1', 100n, 7 * day); // matured exactly now
    expect(accounting.totalOf(A)).toBe(100n);
    expect(accounting.member(A)).toMatchObject({ matured: true, earning: true });
  });

  it('lets a member who left before maturing never earn, and restarts the age on re-join', () => {
    const { accounting, join } = union({ minMembershipAgeSeconds: 100 });
    join(A, 0);
    join(B, 0);
    accounting.memberLeft(B, 50);
    join(B, 60);
    accounting.revenue('0xaa:0', 100n, 100); // A matured at 100; B not before 160
    expect(accounting.totalOf(A)).toBe(100n);
    expect(accounting.totalOf(B)).toBe(0n);
    accounting.revenue('0xaa:1', 100n, 160);
    expect(accounting.totalOf(B)).toBe(50n);
  });

  it('matures members on advanceTo as well, so a snapshot shows who is earning', () => {
    const { accounting, join } = union({ minMembershipAgeSeconds: 10 });
    join(A, 0);
    expect(accounting.earnerCount).toBe(0);
    accounting.advanceTo(10);
    expect(accounting.earnerCount).toBe(1);
  });
});

describe('refusals', () => {
  it('refuses bad input with a typed error and changes nothing', () => {
    const { accounting, join } = union();
    join(A, 10);
    const before = JSON.stringify(accounting.toJSON());
    const cases: Array<[() => unknown, string]> = [
      [() => accounting.memberJoined(A, 11), 'ACCOUNTING_ALREADY_MEMBER'],
      [() => accounting.memberLeft(B, 11), 'ACCOUNTING_NOT_MEMBER'],
      [() => accounting.memberActivityChanged(B, true, 11), 'ACCOUNTING_NOT_MEMBER'],
      [() => accounting.memberJoined('0x1234', 11), 'ACCOUNTING_INVALID_ADDRESS'],
      [() => accounting.revenue('0xaa:0', 1n, 9), 'ACCOUNTING_TIME_WENT_BACKWARDS'],
      [() => accounting.revenue('0xaa:0', 1n, 11.5), 'ACCOUNTING_INVALID_TIME'],
      [() => accounting.revenue('0xaa:0', -1n, 11), 'ACCOUNTING_INVALID_AMOUNT'],
      [() => accounting.revenue('', 1n, 11), 'ACCOUNTING_INVALID_REVENUE_ID'],
      [() => accounting.setAdminFee(FEE_SCALE + 1n, 11), 'ACCOUNTING_INVALID_FEE'],
    ];
    for (const [call, code] of cases) {
      expect(call).toThrow(AccountingError);
      expect(call).toThrow(expect.objectContaining({ code }));
    }
    expect(JSON.stringify(accounting.toJSON())).toBe(before);
  });

  it('refuses a saved state whose totals do not add up', () => {
    const { accounting, join } = union();
    join(A, 0);
    accounting.revenue('0xaa:0', 100n, 1);
    accounting.memberLeft(A, 2);
    const json: AccountingStateJson = accounting.toJSON();
    const tampered = structuredClone(json);
    tampered.members[0]![5] = '101'; // A's settled total
    expect(() => MonoplasmaAccounting.fromJSON(tampered)).toThrow(
      expect.objectContaining({ code: 'ACCOUNTING_INVALID_STATE' }),
    );
    expect(() => MonoplasmaAccounting.fromJSON({ version: 2 })).toThrow(
      expect.objectContaining({ code: 'ACCOUNTING_INVALID_STATE' }),
    );
    expect(MonoplasmaAccounting.fromJSON(json).totalOf(A)).toBe(100n);
  });
});

describe('tree entries', () => {
  it('lists every member ever joined plus the admin’s fees, merged when the admin is a member', () => {
    const { accounting, join } = union({ adminFeeFraction: tenPercent });
    join(A, 0);
    join(B, 0);
    accounting.revenue('0xaa:0', 1000n, 1);
    accounting.memberLeft(B, 2);
    const snapshot = accounting.snapshot();
    expect(treeEntries(snapshot, C)).toEqual([
      { address: A, total: 450n },
      { address: B, total: 450n },
      { address: C, total: 100n },
    ]);
    expect(treeEntries(snapshot, A.toUpperCase().replace('0X', '0x'))).toEqual([
      { address: A, total: 550n },
      { address: B, total: 450n },
    ]);
  });
});
