import { describe, expect, it } from 'vitest';

import { defaultUnionSettings, parseUnionSettings } from './union-settings.ts';

describe('union settings', () => {
  it('defaults to the local union', () => {
    expect(parseUnionSettings({})).toEqual(defaultUnionSettings);
    expect(defaultUnionSettings.unionUrl).toBe('http://127.0.0.1:8787');
  });

  it('reads every variable and drops a trailing slash', () => {
    expect(
      parseUnionSettings({
        VITE_UNION_URL: 'https://union.example.org/',
        VITE_CHAIN_ID: '100',
        VITE_DATA_UNION_ADDRESS: '0x00000000000000000000000000000000000000aa',
        VITE_ADMIN_ADDRESS: '0x00000000000000000000000000000000000000bb',
        VITE_APP_SECRET: 's3cret',
      }),
    ).toEqual({
      unionUrl: 'https://union.example.org',
      chainId: 100,
      dataUnionAddress: '0x00000000000000000000000000000000000000aa',
      adminAddress: '0x00000000000000000000000000000000000000bb',
      appSecret: 's3cret',
    });
  });

  it.each([
    [{ VITE_UNION_URL: 'http://union.example.org' }, /https/],
    [{ VITE_CHAIN_ID: 'abc' }, /VITE_CHAIN_ID/],
    [{ VITE_ADMIN_ADDRESS: '0x12' }, /VITE_ADMIN_ADDRESS/],
  ])('refuses a wrong value loudly (%#)', (env, message) => {
    expect(() => parseUnionSettings(env)).toThrow(message);
  });
});
