/**
 * The local deployment record knows which build of the contracts it was deployed from.
 * Protects: `npm start` on a data folder deployed from older contracts (issue 16 changed
 * `WithdrawAll` and `Marketplace.buy`) stops with a sentence instead of failing later with a
 * revert nobody can read.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import type { Deployment } from '../../contracts/deploy.ts';
import { freePort } from '../test-support/free-port.ts';
import {
  contractsFingerprint,
  deploymentRecord,
  readDeploymentRecord,
} from './deployment-record.ts';
import { startLocalUnion } from './local-union.ts';

const deployment: Deployment = {
  chainId: '31337',
  token: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  testToken: true,
  dataUnion: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
  marketplace: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0',
  productId: `0x${'ab'.repeat(32)}`,
  admin: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
  operator: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
  startBlock: 2,
  template: '0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9',
  factory: '0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9',
};

describe('the local deployment record', () => {
  it('reads back a deployment written by this build as current', () => {
    const json = JSON.parse(deploymentRecord(deployment)) as unknown;
    expect(readDeploymentRecord(json)).toEqual({ kind: 'current', deployment });
  });

  it('reads a deployment from other contracts, or from before the fingerprint, as stale', () => {
    const other = { deployment, contractsFingerprint: `0x${'00'.repeat(32)}` };
    expect(readDeploymentRecord(other)).toEqual({ kind: 'stale', deployment });
    expect(readDeploymentRecord(deployment)).toEqual({ kind: 'stale', deployment });
    expect(contractsFingerprint).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it('refuses a record that is not a deployment', () => {
    expect(() => readDeploymentRecord({ deployment: { chainId: 1 } })).toThrow();
  });
});

describe('starting the local union on a folder deployed from older contracts', () => {
  it('stops with a sentence that says to reset', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'crowdsell-stale-'));
    try {
      // What `npm start` wrote before issue 16: the deployment alone, no fingerprint.
      writeFileSync(path.join(dataDir, 'deployment.json'), JSON.stringify(deployment));
      const started = startLocalUnion({
        dataDir,
        chainPort: await freePort(),
        unionPort: await freePort(),
        logLevel: 'silent',
      });
      await expect(started).rejects.toThrow(
        /deployed from an older build of contracts\/\*\.sol[\s\S]*npm start -- --reset/,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
