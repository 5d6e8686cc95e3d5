import { describe, expect, it } from 'vitest';

import {
  reconcileWithdrawal,
  type TrackedWithdrawal,
  type WithdrawalFacts,
} from './withdrawal-reconcile.ts';

const SENT = 1_000_000;
const GRACE = 300;
const row: TrackedWithdrawal = {
  status: 'pending',
  withdrawnBefore: 5n,
  deadline: 2000n,
  sentAtMs: SENT,
};
const inMempool: WithdrawalFacts = {
  receipt: 'pending',
  known: true,
  withdrawn: 5n,
  chainTime: 1500,
};
const decide = (
  facts: Partial<WithdrawalFacts>,
  r: Partial<TrackedWithdrawal> = {},
  nowMs = SENT,
) => reconcileWithdrawal({ ...row, ...r }, { ...inMempool, ...facts }, nowMs, GRACE);

describe('settling a relayed withdrawal from the chain', () => {
  it('follows the receipt: mined, confirmed, or reverted', () => {
    expect(decide({ receipt: 'mined' })).toEqual({ status: 'mined', reason: null });
    expect(decide({ receipt: 'confirmed' }, { status: 'mined' })).toEqual({
      status: 'confirmed',
      reason: null,
    });
    expect(decide({ receipt: 'failed' })).toEqual({ status: 'failed', reason: 'reverted' });
  });

  it('keeps a transaction the node still holds pending, however old', () => {
    expect(decide({}, {}, SENT + 86_400_000)).toEqual({ status: 'pending', reason: null });
  });

  it('ends one whose nonce the member spent another way, at once', () => {
    expect(decide({ withdrawn: 9n })).toEqual({ status: 'failed', reason: 'superseded' });
  });

  it('ends one whose deadline the chain has passed (mined now, it would revert)', () => {
    expect(decide({ chainTime: 2000 })).toEqual({ status: 'pending', reason: null });
    expect(decide({ chainTime: 2001 })).toEqual({ status: 'failed', reason: 'expired' });
  });

  it('counts one the node forgot as dropped only after the grace period', () => {
    expect(decide({ known: false }, {}, SENT + GRACE * 1000 - 1)).toEqual({
      status: 'pending',
      reason: null,
    });
    expect(decide({ known: false }, {}, SENT + GRACE * 1000)).toEqual({
      status: 'failed',
      reason: 'dropped',
    });
  });

  it('puts a mined row whose receipt vanished (a reorg) back to pending', () => {
    expect(decide({}, { status: 'mined' })).toEqual({ status: 'pending', reason: null });
  });

  it('leaves closed rows alone, and rows from before the nonce was stored to the other rules', () => {
    expect(decide({ receipt: 'failed' }, { status: 'confirmed' })).toEqual({
      status: 'confirmed',
      reason: null,
    });
    const legacy = { withdrawnBefore: null, deadline: null };
    expect(decide({ withdrawn: 9n, chainTime: 9999 }, legacy)).toEqual({
      status: 'pending',
      reason: null,
    });
  });
});
