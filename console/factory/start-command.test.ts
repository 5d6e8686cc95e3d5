import { describe, expect, it } from 'vitest';

import {
  extensionBuildCommand,
  parseEnvCommand,
  serveCommand,
  shellQuote,
} from './start-command.ts';
import { facts } from './test-facts.ts';

describe('the start command shown after creating a union', () => {
  it('sets every address the union server needs and ends with npm run union -- serve', () => {
    const text = serveCommand(facts);
    expect(text.split('\n').at(-1)).toBe('npm run union -- serve');
    expect(parseEnvCommand(text)).toMatchObject({
      CHAIN_ID: '31337',
      DATA_UNION_ADDRESS: facts.union,
      ADMIN_ADDRESS: facts.admin,
      OPERATOR_ADDRESS: facts.operator,
      TOKEN_ADDRESS: facts.token,
      MARKETPLACE_ADDRESS: facts.marketplace,
      FACTORY_ADDRESS: facts.factory,
      PRODUCT_ID: facts.productId,
      START_BLOCK: '42',
      PUBLIC_URL: 'http://127.0.0.1:18790',
      PORT: '18790',
      PRODUCT_NAME: "Alice's weather",
      PRODUCT_DESCRIPTION: 'Rain; `rm -rf` $HOME "quoted"',
    });
  });

  it('quotes names and descriptions so the shell runs nothing from them', () => {
    expect(shellQuote("it's $HOME")).toBe(`'it'\\''s $HOME'`);
    expect(serveCommand(facts)).toContain(
      `PRODUCT_DESCRIPTION='Rain; \`rm -rf\` $HOME "quoted"' \\`,
    );
    expect(shellQuote('0xabc')).toBe('0xabc');
  });

  it('leaves the operator key and the node URL for the admin, and no port for a public URL', () => {
    const env = parseEnvCommand(serveCommand({ ...facts, unionUrl: 'https://union.example' }));
    expect(env.OPERATOR_KEY).toMatch(/^<.*>$/);
    expect(env.RPC_URL).toMatch(/^<.*>$/);
    expect(env.PORT).toBeUndefined();
    expect(env.PUBLIC_URL).toBe('https://union.example');
  });

  it('gives the extension build settings for this union', () => {
    const text = extensionBuildCommand(facts);
    expect(parseEnvCommand(text)).toEqual({
      VITE_UNION_URL: 'http://127.0.0.1:18790',
      VITE_CHAIN_ID: '31337',
      VITE_DATA_UNION_ADDRESS: facts.union,
      VITE_ADMIN_ADDRESS: facts.admin,
    });
    expect(text.split('\n').at(-1)).toBe('npm run build');
  });
});
