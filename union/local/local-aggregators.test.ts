/**
 * The DAP aggregators `npm start` runs: the local task is prepared once (secrets and both role keys
 * in the data folder, reused on restart), a union publishes a config with its aggregation block,
 * and both processes start from that signed config (fetched from the union, checked against the
 * admin and DataUnion pins) with the keys the block publishes; a port already in use is a clear
 * error naming the port and the variable to change (nothing left running).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Buffer } from 'node:buffer';
import { afterAll, describe, expect, it } from 'vitest';

import { freePort } from '../test-support/free-port.ts';
import {
  signConfig,
  TEST_CHAIN_ID,
  TEST_DATA_UNION,
  testConfig,
} from '../test-support/fixtures.ts';
import { freshPglite } from '../test-support/pglite-template.ts';
import { startTestUnion } from '../test-support/test-union.ts';
import { prepareLocalAggregation } from './local-aggregation.ts';
import { LocalAggregatorError, startLocalAggregators } from './local-aggregators.ts';

const root = path.resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'crowdsell-aggregators-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the local DAP aggregators', () => {
  it('start from the union’s signed config with the keys its block publishes, reuse the prepared task, and refuse a port in use with a clear error', async () => {
    const ports = { helperPort: await freePort(), leaderPort: await freePort() };
    const aggregation = await prepareLocalAggregation({ dataDir, ...ports });
    // A restart prepares the same task, collector and keys.
    const again = await prepareLocalAggregation({ dataDir, ...ports });
    expect(again.taskId).toBe(aggregation.taskId);
    expect(again.collector).toEqual(aggregation.collector);
    const plain = testConfig(1, { epochSeconds: 86_400 });
    const block = aggregation.block(plain);
    expect(again.block(plain)).toEqual(block);

    const db = await freshPglite();
    const t = await startTestUnion(db, {}, false);
    const admin = await t.adminClient();
    const published = await admin(
      'PUT',
      '/v1/admin/config',
      await signConfig(t.admin, t.domain, { ...plain, aggregation: block }),
    );
    expect(published.status).toBe(201);

    const taken = createServer();
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const address = taken.address();
    const busyPort = typeof address === 'object' && address ? address.port : 0;
    const options = {
      root,
      aggregation,
      ...ports,
      union: {
        url: t.url,
        chainId: TEST_CHAIN_ID,
        dataUnion: TEST_DATA_UNION,
        admin: t.admin.address,
      },
      log: () => {},
    };
    try {
      try {
        const failed = startLocalAggregators({ ...options, leaderPort: busyPort });
        await expect(failed).rejects.toThrow(LocalAggregatorError);
        await expect(failed).rejects.toThrow(`Port ${busyPort} is in use`);
        await expect(failed).rejects.toThrow('LEADER_PORT');
      } finally {
        taken.close();
      }
      const running = await startLocalAggregators(options);
      try {
        expect((await fetch(`${running.leaderUrl}/healthz`)).status).toBe(200);
        const helperConfig = await fetch(
          `${running.helperUrl}/hpke_config?task_id=${block.taskId}`,
        );
        expect(helperConfig.status).toBe(200);
        // An HpkeConfigList of one: its 2-byte length, then the config the block publishes.
        const list = Buffer.from(await helperConfig.arrayBuffer());
        expect(list.subarray(2).toString('base64url')).toBe(block.helperHpkeConfig);
      } finally {
        await running.close();
      }
    } finally {
      await t.close();
      await db.close();
    }
  }, 180_000);
});
