/**
 * The DAP aggregators `npm start` runs: the task is generated once and reused (the role files
 * name the current ports and the union whose members must sign), and a port
 * already in use is a clear error naming the port and the variable to change (nothing left running).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../test-support/free-port.ts';
import { defaultLocalConfig } from './default-config.ts';
import { LocalAggregatorError, startLocalAggregators } from './local-aggregators.ts';

const root = path.resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'crowdsell-aggregators-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the local DAP aggregators', () => {
  it('refuse a port in use with a clear error, and reuse the task files they wrote', async () => {
    const taken = createServer();
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const address = taken.address();
    const busyPort = typeof address === 'object' && address ? address.port : 0;
    const options = {
      dataDir,
      root,
      config: defaultLocalConfig(1_700_000_000),
      helperPort: await freePort(),
      leaderPort: busyPort,
      union: { url: 'http://127.0.0.1:8787', chainId: 31_337, dataUnion: `0x${'d0'.repeat(20)}` },
      log: () => {},
    };
    try {
      const failed = startLocalAggregators(options);
      await expect(failed).rejects.toThrow(LocalAggregatorError);
      await expect(failed).rejects.toThrow(`Port ${busyPort} is in use`);
      await expect(failed).rejects.toThrow('LEADER_PORT');
    } finally {
      taken.close();
    }
    const file = path.join(dataDir, 'aggregation', 'task.json');
    const written = readFileSync(file, 'utf8');
    const running = await startLocalAggregators({ ...options, leaderPort: await freePort() });
    try {
      expect(readFileSync(file, 'utf8')).toBe(written);
      const leaderTask = path.join(dataDir, 'aggregation', 'leader-task.json');
      expect(JSON.parse(readFileSync(leaderTask, 'utf8'))).toMatchObject({
        ...JSON.parse(written),
        helperUrl: `http://127.0.0.1:${options.helperPort}/`,
        // Both require signatures by members of the local union.
        memberSignatures: {
          unionUrl: options.union.url,
          chainId: options.union.chainId,
          dataUnion: options.union.dataUnion,
        },
      });
      expect((await fetch(`${running.leaderUrl}/healthz`)).status).toBe(200);
      expect((await fetch(`${running.helperUrl}/hpke_config`)).status).toBe(200);
    } finally {
      await running.close();
    }
  }, 120_000);
});
