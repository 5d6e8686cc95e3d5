/**
 * The console's "Create a union" page shows the command that starts the new union's server and
 * the extension's build settings (console/factory/start-command.ts). Both must be what the union
 * and the extension build really read, or the admin copies a command that does not work.
 */
import { describe, expect, it } from 'vitest';

import {
  extensionBuildCommand,
  OPERATOR_KEY_PLACEHOLDER,
  parseEnvCommand,
  RPC_URL_PLACEHOLDER,
  serveCommand,
} from '../../console/factory/start-command.ts';
import { facts } from '../../console/factory/test-facts.ts';
import { extensionBuildEnv } from '../local/extension-build.ts';
import { optionsFromEnv } from './env.ts';
import { resolveOptions } from './options.ts';

describe("the console's start command", () => {
  it('configures a union server with the new union, its product and its Monoplasma jobs', () => {
    const env = parseEnvCommand(serveCommand(facts));
    expect(env.RPC_URL).toBe(RPC_URL_PLACEHOLDER);
    expect(env.OPERATOR_KEY).toBe(OPERATOR_KEY_PLACEHOLDER);
    const options = resolveOptions(
      optionsFromEnv({
        ...env,
        RPC_URL: 'http://127.0.0.1:8545',
        OPERATOR_KEY: `0x${'01'.repeat(32)}`,
      }),
    );
    expect(options).toMatchObject({
      chainId: facts.chainId,
      dataUnion: facts.union,
      admin: facts.admin,
      operator: facts.operator,
      contracts: { marketplace: facts.marketplace, token: facts.token, factory: facts.factory },
      port: 18790,
      publicUrl: facts.unionUrl,
      listing: { name: facts.name, description: facts.description },
      product: { marketplace: facts.marketplace, productId: facts.productId },
      chain: { tokenAddress: facts.token, startBlock: facts.blockNumber },
    });
  });

  it('names exactly the variables the extension build reads', () => {
    const shown = parseEnvCommand(extensionBuildCommand(facts));
    const read = extensionBuildEnv({
      unionUrl: facts.unionUrl,
      deployment: { chainId: String(facts.chainId), dataUnion: facts.union, admin: facts.admin },
    });
    expect(shown).toEqual(read);
  });
});
