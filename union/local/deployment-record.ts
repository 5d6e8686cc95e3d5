/**
 * `deployment.json` in the local data folder: the addresses `npm start` deployed, plus a
 * fingerprint of the contract bytecode they were deployed from. The chain persists across
 * restarts, so after a change to contracts/*.sol (a new field in a signed request, a new
 * parameter of `buy`) the folder still holds the old contracts, and the new extension, console and
 * union would fail against them with reverts that explain nothing. The fingerprint catches that at
 * start, with a sentence.
 */
import { keccak256, concat } from 'ethers';
import { z } from 'zod';

import type { Deployment } from '../../contracts/deploy.ts';
import { dataUnionBytecode } from '../../contracts/generated/data-union.ts';
import { dataUnionFactoryBytecode } from '../../contracts/generated/data-union-factory.ts';
import { marketplaceBytecode } from '../../contracts/generated/marketplace.ts';

const deploymentSchema = z.object({
  chainId: z.string(),
  token: z.string(),
  testToken: z.boolean(),
  dataUnion: z.string(),
  marketplace: z.string(),
  productId: z.string(),
  admin: z.string(),
  operator: z.string(),
  startBlock: z.number(),
  /** Absent from records written before issue 20 (no factory): those are stale by definition. */
  template: z.string().optional(),
  factory: z.string().optional(),
});

const currentDeploymentSchema = deploymentSchema.extend({
  template: z.string(),
  factory: z.string(),
});

/** What a stale record may hold: the fields of older builds. */
export type StaleDeployment = z.infer<typeof deploymentSchema>;

const recordSchema = z.object({
  deployment: deploymentSchema,
  /** Absent from records written before issue 16: those are stale by definition. */
  contractsFingerprint: z.string().optional(),
});

/** keccak256 of the DataUnion, Marketplace and factory creation bytecode this build deploys. */
export const contractsFingerprint = keccak256(
  concat([dataUnionBytecode, marketplaceBytecode, dataUnionFactoryBytecode]),
);

export function deploymentRecord(deployment: Deployment): string {
  return `${JSON.stringify({ deployment, contractsFingerprint }, null, 2)}\n`;
}

type ReadRecord =
  { kind: 'current'; deployment: Deployment } | { kind: 'stale'; deployment: StaleDeployment };

/**
 * The deployment in `json`, and whether it was made from this build's contracts. Records from
 * before the fingerprint held the deployment at the top level; they read as stale.
 */
export function readDeploymentRecord(json: unknown): ReadRecord {
  const record = recordSchema.safeParse(json);
  if (record.success) {
    const { deployment, contractsFingerprint: found } = record.data;
    if (found !== contractsFingerprint) return { kind: 'stale', deployment };
    return { kind: 'current', deployment: currentDeploymentSchema.parse(deployment) };
  }
  return { kind: 'stale', deployment: deploymentSchema.parse(json) };
}
