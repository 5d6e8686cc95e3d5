/**
 * Build-time settings of the union this extension belongs to, read from Vite's `import.meta.env`
 * (`VITE_UNION_URL`, `VITE_CHAIN_ID`, `VITE_DATA_UNION_ADDRESS`, `VITE_ADMIN_ADDRESS`,
 * `VITE_APP_SECRET`). The defaults point at the local union of `npm start` on 127.0.0.1:8787 and
 * the first accounts of the local hardhat chain; a production build passes real values.
 */
import type { UnionSettings } from '../extension/app/app-deps.ts';

export const defaultUnionSettings: UnionSettings = {
  unionUrl: 'http://127.0.0.1:8787',
  chainId: 31_337,
  // Hardhat's first deployment address and its first account (the local union's admin).
  dataUnionAddress: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  adminAddress: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
  appSecret: null,
};

export interface UnionEnv {
  VITE_UNION_URL?: string | undefined;
  VITE_CHAIN_ID?: string | undefined;
  VITE_DATA_UNION_ADDRESS?: string | undefined;
  VITE_ADMIN_ADDRESS?: string | undefined;
  VITE_APP_SECRET?: string | undefined;
}

const addressPattern = /^0x[0-9a-fA-F]{40}$/;

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** Reads and checks the settings; a wrong value fails loudly at start, never silently. */
export function parseUnionSettings(env: UnionEnv): UnionSettings {
  const unionUrl = (nonEmpty(env.VITE_UNION_URL) ?? defaultUnionSettings.unionUrl).replace(
    /\/+$/,
    '',
  );
  const url = new URL(unionUrl);
  if (url.protocol !== 'https:' && url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') {
    throw new Error(`VITE_UNION_URL must use https (got ${unionUrl}).`);
  }
  const chainId = Number(nonEmpty(env.VITE_CHAIN_ID) ?? defaultUnionSettings.chainId);
  if (!Number.isSafeInteger(chainId) || chainId <= 0) {
    throw new Error('VITE_CHAIN_ID must be a positive integer.');
  }
  const dataUnionAddress =
    nonEmpty(env.VITE_DATA_UNION_ADDRESS) ?? defaultUnionSettings.dataUnionAddress;
  const adminAddress = nonEmpty(env.VITE_ADMIN_ADDRESS) ?? defaultUnionSettings.adminAddress;
  for (const [name, value] of [
    ['VITE_DATA_UNION_ADDRESS', dataUnionAddress],
    ['VITE_ADMIN_ADDRESS', adminAddress],
  ] as const) {
    if (!addressPattern.test(value)) throw new Error(`${name} must be a 0x address.`);
  }
  return {
    unionUrl,
    chainId,
    dataUnionAddress,
    adminAddress,
    appSecret: nonEmpty(env.VITE_APP_SECRET) ?? null,
  };
}
