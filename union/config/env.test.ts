import { describe, expect, it } from 'vitest';

import { databaseFromEnv, optionsFromEnv } from './env.ts';
import { resolveOptions } from './options.ts';

const required = {
  CHAIN_ID: '31337',
  DATA_UNION_ADDRESS: `0x${'11'.repeat(20)}`,
  ADMIN_ADDRESS: `0x${'22'.repeat(20)}`,
  OPERATOR_ADDRESS: `0x${'33'.repeat(20)}`,
};

describe('configuration from the environment', () => {
  it('defaults to 127.0.0.1:8787 and PGlite in ./.crowdsell', () => {
    const options = resolveOptions(optionsFromEnv(required));
    expect(options).toMatchObject({
      host: '127.0.0.1',
      port: 8787,
      database: { driver: 'pglite', dataDir: './.crowdsell' },
    });
    expect(options.publicUrl).toBe('http://127.0.0.1:8787');
  });

  it('uses PostgreSQL when DATABASE_URL is set, and reads limits and CORS origins', () => {
    const options = optionsFromEnv({
      ...required,
      DATABASE_URL: 'postgres://x@y/z',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      RATE_LIMIT_JOINS_PER_IP: '5',
      PORT: '9000',
    });
    expect(options).toMatchObject({
      port: 9000,
      database: { driver: 'postgres', url: 'postgres://x@y/z' },
      corsOrigins: ['https://a.example', 'https://b.example'],
      rateLimits: { joinsPerIp: 5 },
    });
    expect(databaseFromEnv({ CROWDSELL_DATA_DIR: '/tmp/x' })).toEqual({
      driver: 'pglite',
      dataDir: '/tmp/x',
    });
  });

  it('reads the product listing, the public RPC URL and the factory for the marketplace and console', () => {
    const options = resolveOptions(
      optionsFromEnv({
        ...required,
        PRODUCT_NAME: 'Weather union',
        PRODUCT_DESCRIPTION: 'Rain by street',
        PUBLIC_RPC_URL: 'https://rpc.example',
        FACTORY_ADDRESS: `0x${'44'.repeat(20)}`,
      }),
    );
    expect(options.contracts).toEqual({ factory: `0x${'44'.repeat(20)}` });
    expect(options.listing).toEqual({ name: 'Weather union', description: 'Rain by street' });
    expect(options.publicRpcUrl).toBe('https://rpc.example');
    const defaults = resolveOptions(optionsFromEnv(required));
    expect(defaults.listing.name).toBe('Crowdsell browsing aggregates');
    expect(defaults.publicRpcUrl).toBeUndefined();
    expect(() => optionsFromEnv({ ...required, PUBLIC_RPC_URL: 'rpc' })).toThrow(/PUBLIC_RPC_URL/);
  });

  it('names every missing or invalid variable in one sentence', () => {
    expect(() => optionsFromEnv({})).toThrow(
      /CHAIN_ID is required.*DATA_UNION_ADDRESS is required.*ADMIN_ADDRESS is required.*OPERATOR_ADDRESS is required/,
    );
    expect(() => optionsFromEnv({ ...required, ADMIN_ADDRESS: 'admin' })).toThrow(
      /ADMIN_ADDRESS: must be a 0x-prefixed 20-byte hex address/,
    );
    expect(() => optionsFromEnv({ ...required, PORT: '99999' })).toThrow(/PORT/);
  });
});
