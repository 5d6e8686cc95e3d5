/**
 * `npm run union -- helper` on PostgreSQL (HELPER_DATABASE_URL): the process migrates its own
 * database there, keeps its HPKE key in it (the same config after a restart) and nothing in its
 * data folder.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { openPostgres } from '../shared-db/postgres-driver.ts';
import { freePort } from '../shared-db/test-support/free-port.ts';
import { encode } from './dap/codec.ts';
import { generateHpkeKeypair } from './dap/hpke.ts';
import { hpkeConfigCodec } from './dap/upload.ts';
import { helperConfigs } from './test-support/helper-http.ts';
import { startProcess, stopProcess } from './test-support/helper-process.ts';
import { describeProcessesOnPostgres } from './test-support/process-postgres.ts';

const FILE = 'aggregator/helper-process.postgres.test.ts';

describeProcessesOnPostgres(FILE, 'the helper process on PostgreSQL', (pg) => {
  it('keeps its schema and HPKE key in HELPER_DATABASE_URL and serves the same config after a restart', async () => {
    const url = await pg.createDatabase();
    const dataDir = pg.dir();
    const taskId = new Uint8Array(randomBytes(32));
    const collector = await generateHpkeKeypair(4);
    const file = path.join(dataDir, 'task.json');
    writeFileSync(
      file,
      JSON.stringify({
        taskId: Buffer.from(taskId).toString('base64url'),
        leaderUrl: 'http://127.0.0.1:1/',
        verifyKey: Buffer.from(randomBytes(16)).toString('base64url'),
        vdaf: { length: 6, bits: 8, chunkLength: 4 },
        timePrecisionSeconds: 86_400,
        tolerableClockSkewSeconds: 60,
        minBatchSize: 2,
        aggregatorAuthToken: 'pg-process-test-token-0123',
        collectorHpkeConfig: Buffer.from(encode(hpkeConfigCodec, collector.config)).toString(
          'base64url',
        ),
      }),
    );
    const env = {
      HELPER_TASK_FILE: file,
      HELPER_PORT: String(await freePort()),
      HELPER_DATA_DIR: dataDir,
      HELPER_DATABASE_URL: url,
    };
    const first = await startProcess(env);
    const configs = await helperConfigs(first.url, taskId);
    expect(await stopProcess(first.child)).toBe(0);
    const second = await startProcess(env);
    expect(await helperConfigs(second.url, taskId)).toEqual(configs);
    expect(await stopProcess(second.child)).toBe(0);

    const db = await openPostgres({ url, poolSize: 1 });
    try {
      const keys = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM hpke_keypairs');
      expect(keys.rows[0]?.n).toBe(1);
    } finally {
      await db.close();
    }
    expect(existsSync(path.join(dataDir, 'db'))).toBe(false);
  }, 120_000);
});
