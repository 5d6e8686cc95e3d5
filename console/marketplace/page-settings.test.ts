import { describe, expect, it } from 'vitest';

import { settingsFromBuild, settingsFromUnion } from './page-settings.ts';

const market = `0x${'Ab'.repeat(20)}`;

describe('marketplace page settings', () => {
  it('come from the build when it names a Marketplace', () => {
    expect(
      settingsFromBuild({
        VITE_MARKETPLACE_CHAIN_ID: '31337',
        VITE_MARKETPLACE_ADDRESS: market,
        VITE_MARKETPLACE_FROM_BLOCK: '12',
        VITE_MARKETPLACE_RPC_URL: 'https://rpc.example',
      }),
    ).toEqual({
      chainId: 31337,
      marketplace: market.toLowerCase(),
      fromBlock: 12,
      rpcUrl: 'https://rpc.example',
      source: 'build',
    });
    expect(settingsFromBuild({ VITE_MARKETPLACE_ADDRESS: '' })).toBeNull();
  });

  it('refuse a build with a wrong setting, naming it', () => {
    expect(() =>
      settingsFromBuild({ VITE_MARKETPLACE_CHAIN_ID: 'x', VITE_MARKETPLACE_ADDRESS: market }),
    ).toThrow(/VITE_MARKETPLACE_CHAIN_ID/);
    expect(() =>
      settingsFromBuild({
        VITE_MARKETPLACE_CHAIN_ID: '1',
        VITE_MARKETPLACE_ADDRESS: market,
        VITE_MARKETPLACE_RPC_URL: 'javascript:alert(1)',
      }),
    ).toThrow(/VITE_MARKETPLACE_RPC_URL/);
  });

  it('come from the serving union, which must name a Marketplace', () => {
    expect(
      settingsFromUnion({
        chainId: 5,
        contracts: { dataUnion: market, marketplace: market },
        publicRpcUrl: null,
      }),
    ).toEqual({
      chainId: 5,
      marketplace: market.toLowerCase(),
      fromBlock: 0,
      rpcUrl: null,
      source: 'union',
    });
    expect(() => settingsFromUnion({ chainId: 5, contracts: { dataUnion: market } })).toThrow(
      /MARKETPLACE_ADDRESS/,
    );
    expect(() => settingsFromUnion('<html>')).toThrow(/not what the page expects/);
  });
});
