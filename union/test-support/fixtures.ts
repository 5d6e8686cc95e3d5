/**
 * Signing helpers and a valid config for union tests: everything is signed with ethers'
 * `signTypedData` over the shared types from extension/protocol/, exactly as the extension and
 * console sign, so the tests prove the wire formats really are shared.
 */
import { hexlify, randomBytes, Wallet } from 'ethers';

import {
  configTypedData,
  type SignedConfig,
  type UnionConfig,
} from '../../extension/protocol/config.ts';
import {
  asTypes,
  joinRequestTypes,
  reportTypes,
  type UnionDomain,
} from '../../extension/protocol/eip712.ts';
import { leaveRequestTypes } from '../../extension/protocol/leave.ts';
import { defaultPrivacy } from '../../extension/protocol/privacy.ts';
import { buildSiweMessage } from '../../extension/protocol/siwe.ts';
import { categories } from '../../extension/protocol/taxonomy.ts';
import type { Report, SignedReport } from '../../extension/protocol/wire.ts';

export const TEST_CHAIN_ID = 31337;

/** A fresh random key (no HD derivation: fast). */
export const randomWallet = () => new Wallet(hexlify(randomBytes(32)));
export const TEST_DATA_UNION = '0x5fbdb2315678afecb367f032d93f642f64180aa3';
export const HOUR = 3600;

/** Every per-client rate limit off (0): for load runs, and tests that turn on one at a time. */
export const NO_RATE_LIMITS = {
  joinsPerIp: 0,
  reportRequestsPerIp: 0,
  reportsPerMember: 0,
  adminPerIp: 0,
  recoveriesPerIpPerSecond: 0,
  publicReadsPerIp: 0,
} as const;

/** Three shipped categories the test config lists, and one it does not (ids ascending). */
const [inA, inB, inC, outD] = [...categories].sort((a, b) => a.id - b.id);
export const CONFIG_CATEGORIES = [inA!, inB!, inC!];
export const OTHER_CATEGORY = outD!;

export function testConfig(version = 1, overrides: Partial<UnionConfig> = {}): UnionConfig {
  return {
    version,
    issuedAt: 1_790_000_000,
    epochSeconds: HOUR,
    categories: CONFIG_CATEGORIES.map((c) => ({
      id: c.id,
      key: c.key,
      label: c.label,
      description: c.description,
      domains: [`${c.key}.example`],
    })),
    privacy: { ...defaultPrivacy },
    minExtensionVersion: '0.1.0',
    ...overrides,
  };
}

export async function signConfig(
  admin: Wallet,
  domain: UnionDomain,
  config: UnionConfig,
): Promise<SignedConfig> {
  const { types, message } = configTypedData(config);
  const signature = await admin.signTypedData(domain, types, message);
  return { config, signature, signer: admin.address };
}

export async function signJoin(
  member: Wallet,
  domain: UnionDomain,
  issuedAt: number,
  secret?: string,
) {
  const request = { member: member.address, issuedAt };
  const signature = await member.signTypedData(domain, asTypes(joinRequestTypes), request);
  return { request, signature, ...(secret === undefined ? {} : { secret }) };
}

export async function signLeave(member: Wallet, domain: UnionDomain, issuedAt: number) {
  const request = { member: member.address, issuedAt };
  const signature = await member.signTypedData(domain, asTypes(leaveRequestTypes), request);
  return { request, signature };
}

/** A report for the closed hour `hoursAgo` hours before `nowSeconds`. */
export function testReport(
  member: Wallet | string,
  nowSeconds: number,
  hoursAgo = 1,
  overrides: Partial<Report> = {},
): Report {
  const epochStart = (Math.floor(nowSeconds / HOUR) - hoursAgo) * HOUR;
  return {
    member: typeof member === 'string' ? member : member.address,
    epochStart,
    epochSeconds: HOUR,
    configVersion: 1,
    counts: [
      { category: CONFIG_CATEGORIES[0]!.id, visits: 3, activeSeconds: 120 },
      { category: CONFIG_CATEGORIES[1]!.id, visits: -2, activeSeconds: 900 },
    ],
    ...overrides,
  };
}

export async function signReport(
  member: Wallet,
  domain: UnionDomain,
  report: Report,
): Promise<SignedReport> {
  const signature = await member.signTypedData(domain, asTypes(reportTypes), report);
  return { report, signature };
}

/**
 * A SIWE sign-in message issued at `nowMs`: pass the clock of the union it signs in to
 * (`t.clock.now()`); the wall-clock default is only for a union in another process, which reads it.
 */
export function siweMessageFor(
  admin: Wallet,
  baseUrl: string,
  nonce: string,
  overrides: Partial<Parameters<typeof buildSiweMessage>[0]> = {},
  nowMs: number = Date.now(),
): string {
  const url = new URL(baseUrl);
  return buildSiweMessage({
    domain: url.host,
    address: admin.address,
    uri: url.origin,
    chainId: TEST_CHAIN_ID,
    nonce,
    issuedAt: new Date(nowMs),
    expirationTime: new Date(nowMs + 10 * 60_000),
    ...overrides,
  });
}
