/**
 * `npm start` as a user runs it: a child process on its own data folder and ports. A restart
 * reuses the data folder, replays the chain log, and finds the same contracts and balances; the
 * DAP leader and helper start and stop with it and keep their keys.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { parseUnits } from 'ethers';
import { afterAll, describe, expect, it } from 'vitest';

import { connectRpc, devAccount, signerFor } from '../../contracts/chain.ts';
import { testTokenAt } from '../../contracts/generated/test-token.ts';
import { freePort } from '../test-support/free-port.ts';

const root = path.resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'crowdsell-start-'));

interface Started {
  child: ChildProcess;
  output: () => string;
}

function start(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'union/cli/start.ts', '--no-build'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`start timed out:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Crowdsell is running.') && output.includes('Stop with Ctrl-C')) {
        clearTimeout(timer);
        resolve({ child, output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${output}`));
    });
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGINT');
  });
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm start', () => {
  it('keeps chain and union state across a restart of the same data folder', async () => {
    const unionPort = await freePort();
    const chainPort = await freePort();
    const env = {
      CROWDSELL_DATA_DIR: dataDir,
      PORT: String(unionPort),
      RPC_URL: `http://127.0.0.1:${chainPort}`,
      HELPER_PORT: String(await freePort()),
      LEADER_PORT: String(await freePort()),
    };
    const first = await start(env);
    expect(first.output()).toContain('(fresh deploy)');
    // The DAP leader and helper run as child processes, stopped with npm start.
    const leaderUrl = `http://127.0.0.1:${env.LEADER_PORT}`;
    expect(first.output()).toContain(`DAP leader       ${leaderUrl}`);
    expect(first.output()).toContain(`DAP helper       http://127.0.0.1:${env.HELPER_PORT}`);
    expect((await fetch(`${leaderUrl}/healthz`)).status).toBe(200);
    const hpkeConfig = await (await fetch(`${leaderUrl}/hpke_config`)).arrayBuffer();
    const dataUnion = /DataUnion\s+(0x[0-9a-fA-F]{40})/.exec(first.output())?.[1];
    const token = /Token\s+(0x[0-9a-fA-F]{40})/.exec(first.output())?.[1];
    expect(dataUnion).toBeDefined();

    const rpc = connectRpc(env.RPC_URL);
    const researcher = signerFor(devAccount(2).privateKey, rpc);
    const recipient = devAccount(7).address;
    await (await testTokenAt(token!, researcher).transfer(recipient, parseUnits('3', 18))).wait();
    const blockBefore = await rpc.getBlockNumber();
    const health = await fetch(`http://127.0.0.1:${unionPort}/healthz`);
    expect(health.status).toBe(200);
    expect(await stop(first.child)).toBe(0);
    await expect(fetch(`${leaderUrl}/healthz`)).rejects.toThrow();
    rpc.destroy();

    const second = await start(env);
    try {
      expect(second.output()).toContain('(reused)');
      expect(second.output()).toContain(dataUnion);
      const rpc2 = connectRpc(env.RPC_URL);
      expect(await rpc2.getBlockNumber()).toBe(blockBefore);
      expect(await testTokenAt(token!, rpc2).balanceOf(recipient)).toBe(parseUnits('3', 18));
      const union = (await (await fetch(`http://127.0.0.1:${unionPort}/v1/union`)).json()) as {
        contracts: { dataUnion: string; factory?: string };
        publicRpcUrl: string | null;
      };
      expect(union.contracts.dataUnion).toBe(dataUnion!.toLowerCase());
      // The console's "Create a union" and the marketplace page find the factory and the chain.
      expect(union.contracts.factory).toMatch(/^0x[0-9a-f]{40}$/);
      expect(union.publicRpcUrl).toBe(env.RPC_URL);
      // The same local task and leader key after the restart.
      expect(await (await fetch(`${leaderUrl}/hpke_config`)).arrayBuffer()).toEqual(hpkeConfig);
      rpc2.destroy();
    } finally {
      expect(await stop(second.child)).toBe(0);
    }
  }, 240_000);
});
