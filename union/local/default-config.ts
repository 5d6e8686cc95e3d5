/**
 * The signed config a fresh local union starts with: the taxonomy's top-level categories, one-day
 * UTC epochs and the default privacy parameters, signed by the (dev) admin key exactly as the
 * console would sign it.
 */
import type { Wallet } from 'ethers';

import {
  configTypedData,
  type SignedConfig,
  type UnionConfig,
} from '../../extension/protocol/config.ts';
import type { UnionDomain } from '../../extension/protocol/eip712.ts';
import { defaultPrivacy } from '../../extension/protocol/privacy.ts';
import { categories } from '../../extension/protocol/taxonomy.ts';

export function defaultLocalConfig(issuedAt: number, epochSeconds = 86_400): UnionConfig {
  return {
    version: 1,
    issuedAt,
    epochSeconds,
    categories: categories
      .filter((c) => c.parentId === undefined)
      .map((c) => ({
        id: c.id,
        key: c.key,
        label: c.label,
        description: c.description,
        domains: [],
      })),
    privacy: { ...defaultPrivacy },
    minExtensionVersion: '0.1.0',
  };
}

export async function signConfig(
  config: UnionConfig,
  admin: Wallet,
  domain: UnionDomain,
): Promise<SignedConfig> {
  const { types, message } = configTypedData(config);
  const signature = await admin.signTypedData(domain, types, message);
  return { config, signature, signer: admin.address };
}
