import { describe, expect, it } from 'vitest';

import { isRecorded, isRefused, parseChainLog } from './chain-log.ts';

describe('local chain log', () => {
  it('records state-changing calls only', () => {
    expect(isRecorded('eth_sendRawTransaction')).toBe(true);
    expect(isRecorded('evm_mine')).toBe(true);
    expect(isRecorded('hardhat_setBalance')).toBe(true);
    expect(isRecorded('eth_call')).toBe(false);
    expect(isRecorded('eth_getBalance')).toBe(false);
  });

  it('refuses calls that cannot be replayed', () => {
    expect(isRefused('evm_revert')).toBe(true);
    expect(isRefused('evm_snapshot')).toBe(true);
    expect(isRefused('eth_sendTransaction')).toBe(false);
  });

  it('drops a torn last line left by a crash while appending', () => {
    const text = '{"method":"evm_mine","params":[],"timestamp":5}\n{"method":"eth_send';
    expect(parseChainLog(text)).toEqual({
      entries: [{ method: 'evm_mine', params: [], timestamp: 5 }],
      tornTail: true,
    });
  });

  it('refuses a log corrupted before its last line', () => {
    const text = 'garbage\n{"method":"evm_mine","params":[]}\n';
    expect(() => parseChainLog(text)).toThrow(/corrupt at line 1/);
  });
});
