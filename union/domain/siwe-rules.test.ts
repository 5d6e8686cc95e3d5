import { Wallet } from 'ethers';
import { SiweMessage } from 'siwe';
import { describe, expect, it } from 'vitest';

import { buildSiweMessage } from '../../extension/protocol/siwe.ts';
import { checkJoinFreshness } from './join-rules.ts';
import { checkSiweFields } from './siwe-rules.ts';

const admin = new Wallet(`0x${'42'.repeat(32)}`);
const now = Date.parse('2026-11-25T12:00:00Z');
const expect_ = {
  domain: 'union.example:8787',
  origin: 'https://union.example:8787',
  chainId: 31337,
  admin: admin.address,
  nowMs: now,
  maxAgeMs: 600_000,
  skewMs: 60_000,
};

const message = (overrides: Partial<Parameters<typeof buildSiweMessage>[0]> = {}) =>
  new SiweMessage(
    buildSiweMessage({
      domain: 'union.example:8787',
      address: admin.address.toLowerCase(),
      uri: 'https://union.example:8787/console',
      chainId: 31337,
      nonce: 'abcdef0123456789',
      issuedAt: new Date(now - 1000),
      expirationTime: new Date(now + 600_000),
      ...overrides,
    }),
  );

const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return null;
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('admin sign-in message rules', () => {
  it('the shared EIP-4361 builder produces messages the siwe ABNF parser reads back', () => {
    const parsed = message();
    expect(parsed).toMatchObject({
      domain: 'union.example:8787',
      address: admin.address,
      chainId: 31337,
      nonce: 'abcdef0123456789',
      version: '1',
    });
    expect(checkSiweFields(parsed, expect_)).toBe(now + 600_000);
  });

  it('refuses another domain, origin, chain, an old or future issue time, expiry, and non-admins', () => {
    expect(codeOf(() => checkSiweFields(message({ domain: 'evil.example' }), expect_))).toBe(
      'SIWE_WRONG_DOMAIN',
    );
    expect(codeOf(() => checkSiweFields(message({ uri: 'https://evil.example/' }), expect_))).toBe(
      'SIWE_WRONG_URI',
    );
    expect(codeOf(() => checkSiweFields(message({ chainId: 1 }), expect_))).toBe(
      'SIWE_WRONG_CHAIN',
    );
    expect(
      codeOf(() => checkSiweFields(message({ issuedAt: new Date(now - 700_000) }), expect_)),
    ).toBe('SIWE_EXPIRED');
    expect(
      codeOf(() => checkSiweFields(message({ issuedAt: new Date(now + 120_000) }), expect_)),
    ).toBe('SIWE_EXPIRED');
    expect(codeOf(() => checkSiweFields(message({ expirationTime: new Date(now) }), expect_))).toBe(
      'SIWE_EXPIRED',
    );
    const other = new Wallet(`0x${'43'.repeat(32)}`);
    expect(codeOf(() => checkSiweFields(message({ address: other.address }), expect_))).toBe(
      'NOT_ADMIN',
    );
  });

  it('join and leave requests must be issued within 10 minutes and not in the future', () => {
    expect(codeOf(() => checkJoinFreshness(1000, 1000 + 600))).toBeNull();
    expect(codeOf(() => checkJoinFreshness(1000, 1000 + 601))).toBe('JOIN_EXPIRED');
    expect(codeOf(() => checkJoinFreshness(1060, 1000))).toBeNull();
    expect(codeOf(() => checkJoinFreshness(1061, 1000))).toBe('JOIN_FROM_FUTURE');
  });
});
