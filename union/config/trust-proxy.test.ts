import { describe, expect, it } from 'vitest';

import { optionsFromEnv } from './env.ts';
import { resolveOptions } from './options.ts';
import { fastifyTrustProxy, trustProxyFromEnv } from './trust-proxy.ts';

const required = {
  CHAIN_ID: '31337',
  DATA_UNION_ADDRESS: `0x${'11'.repeat(20)}`,
  ADMIN_ADDRESS: `0x${'22'.repeat(20)}`,
  OPERATOR_ADDRESS: `0x${'33'.repeat(20)}`,
};
const base = {
  chainId: 31337,
  dataUnion: required.DATA_UNION_ADDRESS,
  admin: required.ADMIN_ADDRESS,
  operator: required.OPERATOR_ADDRESS,
};

describe('which proxies the union believes (TRUST_PROXY / trustProxy)', () => {
  it('refuses "trust every peer", which let any client forge its address', () => {
    expect(() => resolveOptions({ ...base, trustProxy: true as never })).toThrow(
      /trustProxy: true would trust a forged X-Forwarded-For from any client/,
    );
    expect(() => optionsFromEnv({ ...required, TRUST_PROXY: 'true' })).toThrow(
      /TRUST_PROXY: true would trust a forged X-Forwarded-For/,
    );
  });

  it('reads off, a hop count, or proxy addresses and CIDR ranges', () => {
    expect(trustProxyFromEnv(undefined)).toBe(false);
    expect(trustProxyFromEnv('false')).toBe(false);
    expect(trustProxyFromEnv('0')).toBe(false);
    expect(trustProxyFromEnv('2')).toBe(2);
    expect(trustProxyFromEnv(' 10.0.0.0/8, 192.0.2.7 ,loopback,fd00::/8 ')).toEqual([
      '10.0.0.0/8',
      '192.0.2.7',
      'loopback',
      'fd00::/8',
    ]);
    expect(resolveOptions(optionsFromEnv({ ...required, TRUST_PROXY: '1' })).trustProxy).toBe(1);
    expect(resolveOptions(base).trustProxy).toBe(false);
  });

  it('names what is wrong with a malformed setting', () => {
    expect(() => trustProxyFromEnv('10.0.0.0/33')).toThrow(
      /TRUST_PROXY: expected false, a hop count/,
    );
    expect(() => trustProxyFromEnv('proxy.internal')).toThrow(/got proxy.internal/);
    expect(() => trustProxyFromEnv('11')).toThrow(/TRUST_PROXY/);
    expect(() => resolveOptions({ ...base, trustProxy: ['nope'] })).toThrow(
      /Invalid union option trustProxy/,
    );
  });

  it('turns a hop count into "trust that many nearest hops", since fastify ignores bare numbers', () => {
    const trust = fastifyTrustProxy(2);
    if (typeof trust !== 'function') throw new Error('expected a predicate');
    expect([0, 1, 2, 3].map((hop) => trust('203.0.113.1', hop))).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(fastifyTrustProxy(['10.0.0.0/8'])).toEqual(['10.0.0.0/8']);
    expect(fastifyTrustProxy(false)).toBe(false);
  });
});
