import 'fake-indexeddb/auto';

import { verifyTypedData } from 'ethers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { asTypes, unionDomain, withdrawAllTypes } from '../protocol/eip712.ts';
import { CrowdsellError } from '../protocol/errors.ts';
import { signedWithdrawAllSchema } from '../protocol/wire.ts';
import { startFakeUnion, type FakeUnion } from '../testing/fake-union.ts';
import { clock, testDeps, testSettings, type Clock } from '../testing/fixtures.ts';
import { createCrowdsell, type Crowdsell } from './crowdsell.ts';

const token = {
  address: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  symbol: 'DATA',
  decimals: 18,
};
const recipient = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const nowMs = Date.UTC(2026, 10, 25, 12);

let union: FakeUnion;
let time: Clock;
let app: Crowdsell;

function earnings(overrides: Record<string, unknown> = {}) {
  return {
    total: '3000000000000000000',
    withdrawn: '500000000000000000',
    withdrawable: '1500000000000000000',
    pending: '1000000000000000000',
    nextUsableAt: '2026-11-25T13:00:00.000Z',
    token,
    ...overrides,
  };
}

async function refusal(promise: Promise<unknown>): Promise<CrowdsellError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CrowdsellError);
  return error as CrowdsellError;
}

beforeEach(async () => {
  union = await startFakeUnion();
  time = clock(nowMs);
  app = createCrowdsell(
    testDeps({ settings: { ...testSettings, unionUrl: union.url }, now: time.now, fetch }),
  );
});
afterEach(async () => {
  (await app.ready()).db.close();
  await union.close();
});

describe('earnings', () => {
  it('answers the union’s earnings with the token and when pending becomes usable', async () => {
    union.earnings = earnings();
    expect(await app.handlers.earnings({})).toEqual({
      state: 'available',
      token,
      total: '3000000000000000000',
      withdrawable: '1500000000000000000',
      pending: '1000000000000000000',
      withdrawn: '500000000000000000',
      pendingUsableAt: Date.UTC(2026, 10, 25, 13),
    });
  });

  it('is unavailable, with a sentence, without revenue sharing or without the union', async () => {
    const none = await app.handlers.earnings({});
    expect(none.state === 'unavailable' && none.message).toMatch(/revenue/);
    await union.close();
    const unreachable = await app.handlers.earnings({});
    expect(unreachable.state === 'unavailable' && unreachable.message).toMatch(
      /could not be reached/,
    );
  });
});

describe('withdraw', () => {
  it('signs a WithdrawAll of the member, for this union, and returns the relay’s answer', async () => {
    union.earnings = earnings();
    const member = (await app.handlers.keyAddress({})).address;
    const result = await app.handlers.withdraw({
      recipient: recipient.toLowerCase(),
      shownAmount: '1500000000000000000',
    });
    expect(result).toEqual({
      id: 'w-1',
      txHash: `0x${'ab'.repeat(32)}`,
      status: 'pending',
      amount: '1500000000000000000',
      recipient,
    });
    expect(union.withdrawals).toHaveLength(1);
    const body = signedWithdrawAllSchema.parse(JSON.parse(union.withdrawals[0]!));
    expect(body.request).toEqual({
      member,
      recipient,
      withdrawnBefore: '500000000000000000',
      // The least it may pay: what is withdrawable, so an older, smaller root cannot be used.
      minAmount: '1500000000000000000',
      deadline: String(nowMs / 1000 + 3600),
    });
    const domain = unionDomain(testSettings.chainId, testSettings.dataUnionAddress);
    expect(verifyTypedData(domain, asTypes(withdrawAllTypes), body.request, body.signature)).toBe(
      member,
    );
    // Another chain's domain does not recover the member.
    expect(
      verifyTypedData(
        unionDomain(1, testSettings.dataUnionAddress),
        asTypes(withdrawAllTypes),
        body.request,
        body.signature,
      ),
    ).not.toBe(member);
    expect(union.withdrawals.join('')).not.toMatch(/privateKey/i);
  });

  it('binds the amount withdrawable now when it grew since the popup showed it', async () => {
    union.earnings = earnings({ withdrawable: '2000000000000000000' });
    await app.handlers.withdraw({ recipient, shownAmount: '1500000000000000000' });
    const body = signedWithdrawAllSchema.parse(JSON.parse(union.withdrawals[0]!));
    expect(body.request.minAmount).toBe('2000000000000000000');
  });

  it('refuses, before signing, when less is withdrawable than the popup showed', async () => {
    union.earnings = earnings({ withdrawable: '1000000000000000000' });
    const error = await refusal(
      app.handlers.withdraw({ recipient, shownAmount: '1500000000000000000' }),
    );
    expect(error.code).toBe('WITHDRAWABLE_CHANGED');
    expect(error.message).toMatch(/less is withdrawable now than was shown/i);
    expect(union.withdrawals).toEqual([]);
  });

  it('refuses a bad recipient before any request', async () => {
    union.earnings = earnings();
    const badChecksum = recipient.replace('C51812dc3A', 'c51812dc3A');
    for (const bad of [
      badChecksum,
      '0x1234',
      'not an address',
      '0x0000000000000000000000000000000000000000',
    ]) {
      const error = await refusal(app.handlers.withdraw({ recipient: bad, shownAmount: '1' }));
      expect(error.code).toBe('INVALID_RECIPIENT');
    }
    expect(union.withdrawals).toEqual([]);
  });

  it('refuses when nothing is withdrawable, before signing', async () => {
    union.earnings = earnings({ withdrawable: '0' });
    const error = await refusal(app.handlers.withdraw({ recipient, shownAmount: '0' }));
    expect(error.code).toBe('NOTHING_TO_WITHDRAW');
    expect(union.withdrawals).toEqual([]);
  });

  it('passes the union’s errors through with its code and sentence', async () => {
    union.earnings = earnings();
    union.withdrawalAnswers.push({
      status: 422,
      body: { error: { code: 'WITHDRAWAL_TOO_SMALL', message: 'Below the minimum payout.' } },
    });
    const error = await refusal(
      app.handlers.withdraw({ recipient, shownAmount: '1500000000000000000' }),
    );
    expect(error.toPayload()).toEqual({
      code: 'WITHDRAWAL_TOO_SMALL',
      message: 'Below the minimum payout.',
    });
    const missing = await refusal(app.handlers.withdrawalStatus({ id: 'nope' }));
    expect(missing.code).toBe('WITHDRAWAL_NOT_FOUND');
  });

  it('follows a withdrawal to confirmation', async () => {
    union.withdrawalLookups.set('w-1', {
      status: 200,
      body: {
        id: 'w-1',
        member: recipient,
        recipient,
        amount: '1500000000000000000',
        blockNumber: 12,
        txHash: `0x${'cd'.repeat(32)}`,
        status: 'confirmed',
        createdAt: '2026-11-25T12:00:00.000Z',
      },
    });
    expect(await app.handlers.withdrawalStatus({ id: 'w-1' })).toEqual({
      id: 'w-1',
      txHash: `0x${'cd'.repeat(32)}`,
      status: 'confirmed',
      amount: '1500000000000000000',
      recipient,
    });
  });
});

describe('the union’s minimum withdrawal', () => {
  it('is passed on when the union states it', async () => {
    union.earnings = earnings({ minWithdrawal: '2000000000000000000' });
    expect(await app.handlers.earnings({})).toMatchObject({
      withdrawable: '1500000000000000000',
      minWithdrawal: '2000000000000000000',
    });
  });

  it('stops a smaller withdrawal before anything is signed or sent, saying where they start', async () => {
    union.earnings = earnings({ minWithdrawal: '2000000000000000001' });
    const error = await refusal(
      app.handlers.withdraw({ recipient, shownAmount: '1500000000000000000' }),
    );
    expect(error.code).toBe('WITHDRAWAL_TOO_SMALL');
    expect(error.message).toBe(
      'Withdrawals start at 2.000000000000000001 DATA (the union pays the gas, so it does not relay smaller payouts); you have 1.5 DATA.',
    );
    expect(union.withdrawals).toHaveLength(0);
  });
});
