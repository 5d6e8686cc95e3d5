/**
 * `npm start -- --demo` in small: a local union in this process (free ports, temp data folder),
 * five simulated members running the extension core, and the researcher's purchase on chain.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { connectRpc } from '../contracts/chain.ts';
import { testTokenAt } from '../contracts/generated/test-token.ts';
import { startLocalUnion, type LocalUnion } from '../union/local/local-union.ts';
import { runDemo } from './run-demo.ts';
import { demoWallet, fetchConfig, memberStatus } from './simulated-members.ts';
import { freePort } from '../union/test-support/free-port.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'crowdsell-demo-'));
let local: LocalUnion | undefined;

afterAll(async () => {
  await local?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start -- --demo', () => {
  it('joins simulated members, stores their reports and buys the product', async () => {
    // A fresh union issues its config now, and epochs that closed before that are skipped: use
    // one-minute epochs; its first config is dated back over the acceptance window, so the
    // last three closed epochs all have a config in force.
    local = await startLocalUnion({
      dataDir,
      chainPort: await freePort(),
      unionPort: await freePort(),
      epochSeconds: 60,
      logLevel: 'silent',
    });
    const config = await fetchConfig(local.unionUrl);
    // The local union runs on the wall clock. Both demo runs pick their epochs at this one instant:
    // with one-minute epochs, a minute turning between them would shift the epochs reported and
    // the restart would send a new one instead of finding all 15 reports already stored.
    const at = Date.now();
    const now = () => at;
    expect(config.issuedAt).toBeLessThan(at / 1000 - 7 * 86_400);
    const rpc = connectRpc(local.chainUrl);
    const token = testTokenAt(local.deployment.token, rpc);
    const before = await token.balanceOf(local.deployment.dataUnion);

    const lines: string[] = [];
    const summary = await runDemo({
      unionUrl: local.unionUrl,
      chainUrl: local.chainUrl,
      deployment: local.deployment,
      appSecret: local.appSecret,
      members: 5,
      log: (line) => lines.push(line),
      now,
    });

    expect(summary).toMatchObject({ members: 5, joined: 5, accepted: 15, rejected: 0 });
    for (let i = 0; i < 5; i++) {
      expect(await memberStatus(local.unionUrl, demoWallet(i).address)).toBe('active');
    }
    expect(await token.balanceOf(local.deployment.dataUnion)).toBeGreaterThan(before);
    expect(lines.join('\n')).not.toContain('have no config in force');
    expect(lines.at(-1)).toContain('a root will be committed within a minute');

    // A restart of the demo finds the same members and the reports already there.
    const again = await runDemo({
      unionUrl: local.unionUrl,
      chainUrl: local.chainUrl,
      deployment: local.deployment,
      appSecret: local.appSecret,
      members: 5,
      log: () => {},
      now,
    });
    expect(again).toMatchObject({ joined: 0, accepted: 0, duplicate: 15, rejected: 0 });
    rpc.destroy();
  }, 120_000);
});
