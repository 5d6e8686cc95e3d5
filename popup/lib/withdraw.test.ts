import { describe, expect, it } from 'vitest';

import {
  checkRecipientInput,
  isFinalStatus,
  withdrawability,
  withdrawalStatusKey,
} from './withdraw.ts';

const recipient = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const member = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
const token = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const known = { member, token };

describe('checkRecipientInput', () => {
  it('accepts a checksummed or single-case address and answers it checksummed', () => {
    expect(checkRecipientInput(recipient, known)).toEqual({
      kind: 'valid',
      address: recipient,
      warning: null,
    });
    expect(checkRecipientInput(`  ${recipient.toLowerCase()} `, known)).toEqual({
      kind: 'valid',
      address: recipient,
      warning: null,
    });
  });

  it('refuses a wrong checksum, a malformed address and the zero address', () => {
    const typo = recipient.replace('C51812dc3A', 'c51812dc3A');
    expect(checkRecipientInput(typo, known)).toEqual({
      kind: 'invalid',
      problem: 'withdrawBadChecksum',
    });
    for (const bad of ['0x1234', 'vitalik.eth', `${recipient}00`, recipient.slice(2)]) {
      expect(checkRecipientInput(bad, known)).toEqual({
        kind: 'invalid',
        problem: 'withdrawBadAddress',
      });
    }
    expect(checkRecipientInput(`0x${'0'.repeat(40)}`, known)).toEqual({
      kind: 'invalid',
      problem: 'withdrawZeroAddress',
    });
    expect(checkRecipientInput('   ', known)).toEqual({ kind: 'empty' });
  });

  it('warns about the member’s own key address and the token contract', () => {
    expect(checkRecipientInput(member.toLowerCase(), known)).toMatchObject({
      kind: 'valid',
      warning: 'withdrawOwnKeyWarning',
    });
    expect(checkRecipientInput(token, known)).toMatchObject({
      kind: 'valid',
      warning: 'withdrawTokenWarning',
    });
    expect(checkRecipientInput(member, { member: null, token: null })).toMatchObject({
      warning: null,
    });
  });
});

describe('withdrawal status', () => {
  it('is followed until confirmed or failed', () => {
    expect(['pending', 'mined', 'confirmed', 'failed'].map(isFinalStatus)).toEqual([
      false,
      false,
      true,
      true,
    ]);
    expect(withdrawalStatusKey('mined')).toBe('withdrawStatusMined');
    expect(withdrawalStatusKey('confirmed')).toBe('withdrawStatusConfirmed');
  });
});

describe('withdrawability', () => {
  it('sends only a withdrawable amount that reaches the union’s minimum', () => {
    expect(withdrawability('0', '100')).toBe('nothing');
    expect(withdrawability('99', '100')).toBe('below-minimum');
    expect(withdrawability('100', '100')).toBe('ready');
    // A union that states no minimum relays any positive amount.
    expect(withdrawability('1', undefined)).toBe('ready');
    expect(withdrawability('0', undefined)).toBe('nothing');
  });
});
