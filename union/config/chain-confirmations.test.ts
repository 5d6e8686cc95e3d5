import { describe, expect, it } from 'vitest';

import { CHAIN_CONFIRMATIONS, confirmationRule } from './chain-confirmations.ts';
import { optionsFromEnv } from './env.ts';
import { resolveOptions } from './options.ts';

const env = (chainId: number, extra: Record<string, string> = {}) => ({
  CHAIN_ID: String(chainId),
  DATA_UNION_ADDRESS: `0x${'11'.repeat(20)}`,
  ADMIN_ADDRESS: `0x${'22'.repeat(20)}`,
  OPERATOR_ADDRESS: `0x${'33'.repeat(20)}`,
  RPC_URL: 'https://rpc.example.org',
  OPERATOR_KEY: `0x${'44'.repeat(32)}`,
  TOKEN_ADDRESS: `0x${'55'.repeat(20)}`,
  START_BLOCK: '100',
  ...extra,
});

const confirmationsFor = (chainId: number, extra: Record<string, string> = {}) =>
  resolveOptions(optionsFromEnv(env(chainId, extra))).chain?.confirmations;

describe('confirmations per chain id', () => {
  it('defaults to the chain’s documented number, not 1, on public chains', () => {
    expect(confirmationsFor(1)).toBe(64);
    expect(confirmationsFor(137)).toBe(256);
    expect(confirmationsFor(100)).toBe(32);
    expect(confirmationsFor(42161)).toBe(240);
    expect(confirmationsFor(8453)).toBe(60);
    expect(confirmationsFor(11155111)).toBe(12);
    // An unlisted chain is treated like Ethereum mainnet.
    expect(confirmationsFor(999_999)).toBe(64);
  });

  it('keeps one confirmation on the local development chains', () => {
    expect(confirmationsFor(31337)).toBe(1);
    expect(confirmationsFor(1337)).toBe(1);
    expect(confirmationsFor(31337, { CONFIRMATIONS: '1' })).toBe(1);
  });

  it('refuses to start a public chain below its minimum, with a sentence naming the fix', () => {
    expect(() => confirmationsFor(137, { CONFIRMATIONS: '1' })).toThrow(
      'Invalid union option chain.confirmations: Polygon PoS (chain id 137) needs at least 64 confirmations before revenue counts, but 1 was set (defaults and minimums: docs/operations.md). Raise CONFIRMATIONS, or accept the reorg risk explicitly with ALLOW_FEWER_CONFIRMATIONS=true (option chain.allowFewerConfirmations).',
    );
    expect(() => confirmationsFor(1, { CONFIRMATIONS: '11' })).toThrow(/at least 12/);
    expect(() => confirmationsFor(999_999, { CONFIRMATIONS: '2' })).toThrow(
      /an unlisted chain \(chain id 999999\) needs at least 12/,
    );
    expect(confirmationsFor(1, { CONFIRMATIONS: '12' })).toBe(12);
  });

  it('accepts fewer only with the explicit override', () => {
    expect(confirmationsFor(137, { CONFIRMATIONS: '3', ALLOW_FEWER_CONFIRMATIONS: 'true' })).toBe(
      3,
    );
    expect(() => confirmationsFor(137, { ALLOW_FEWER_CONFIRMATIONS: 'yes' })).toThrow(
      /ALLOW_FEWER_CONFIRMATIONS/,
    );
    expect(() => confirmationsFor(1, { CONFIRMATIONS: '0' })).toThrow(/CONFIRMATIONS/);
  });

  it('never sets a default below the minimum, and only local chains allow one block', () => {
    for (const [chainId, rule] of CHAIN_CONFIRMATIONS) {
      expect(rule.defaultConfirmations).toBeGreaterThanOrEqual(rule.minimumConfirmations);
      expect(rule.minimumConfirmations === 1).toBe(rule.local === true);
      expect(confirmationRule(chainId)).toBe(rule);
    }
  });
});
