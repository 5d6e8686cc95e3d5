import { describe, expect, it } from 'vitest';

import { configInForce } from './config-in-force.ts';

describe('configInForce', () => {
  const configs = [
    { version: 1, issuedAt: 1_000 },
    { version: 2, issuedAt: 90_000 },
    { version: 3, issuedAt: 200_000 },
  ];

  it('picks the highest version issued before the epoch closed', () => {
    expect(configInForce(configs, 86_400, 86_400)).toBe(2);
    expect(configInForce(configs, 0, 86_400)).toBe(1);
    expect(configInForce(configs, 172_800, 86_400)).toBe(3);
  });

  it('refuses an epoch that closed before any config existed', () => {
    expect(() => configInForce(configs, 0, 600)).toThrow(
      expect.objectContaining({ code: 'PRODUCT_NO_CONFIG_IN_FORCE' }),
    );
  });
});
