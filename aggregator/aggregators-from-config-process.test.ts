/**
 * Both aggregators as real processes (`npm run union -- leader` / `helper`) running the task of
 * the admin-signed union config, fetched from a union's `GET /v1/config` (LEADER_CONFIG_URL,
 * HELPER_CONFIG_URL), with the operators' secrets files and pins. A task from the config requires
 * member signatures: membership comes from the same union's public log (`GET
 * /v1/membership-log`, here a hash-chained log served on 127.0.0.1). An unsigned report and one
 * signed by a non-member are refused at upload; a member's signed report is accepted and both
 * aggregators finish it; behind a leader that checks nothing, the helper still refuses an
 * unsigned report. A leader whose own HPKE key is not the one the config publishes for the
 * leader refuses to start and prints its own.
 */
import { Wallet } from 'ethers';
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { aggregationFor } from '../extension/protocol/config-aggregation.ts';
import { configTypedData, type UnionConfig } from '../extension/protocol/config.ts';
import { unionDomain } from '../extension/protocol/eip712.ts';
import type { LogEntry } from '../extension/protocol/membership-log.ts';
import { freePort } from '../shared-db/test-support/free-port.ts';
import { buildMemberReport, type MemberReportTask } from './client/member-report.ts';
import { encode } from './dap/codec.ts';
import { taskIdToString } from './dap/task-id.ts';
import { hpkeConfigCodec, MEDIA_TYPES } from './dap/upload.ts';
import { loadOrCreateKeypairs } from './db/hpke-keys.ts';
import { helperSchema } from './helper/db/schema.ts';
import { leaderSchema } from './leader/db/schema.ts';
import { categoryTask, sumVecFor } from './vdaf/task.ts';
import { helperConfigs } from './test-support/helper-http.ts';
import { killProcesses, startProcess, stopProcess } from './test-support/helper-process.ts';
import { configTaskOperators } from './test-support/config-task-operators.ts';
import { membershipLog, testMember } from './test-support/member-reports.ts';
import { DAY, leaderOutcomes, settledReports, YESTERDAY } from './test-support/process-pair.ts';

/** Hardhat's first well-known account: never holds anything real. */
const admin = new Wallet('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80');
const contract = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const domain = unionDomain(31_337, contract);
const member = testMember(1);
const stranger = testMember(2);
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

const dir = mkdtempSync(path.join(tmpdir(), 'crowdsell-config-processes-'));
afterAll(() => {
  killProcesses();
  rmSync(dir, { recursive: true, force: true });
});

/** Creates the role's database in its folder and returns its HPKE config (DAP encoding). */
async function keyOf(schema: typeof leaderSchema, folder: string): Promise<Uint8Array> {
  const db = await schema.open({ driver: 'pglite', dataDir: path.join(dir, folder, 'db') });
  try {
    return encode(hpkeConfigCodec, (await loadOrCreateKeypairs(db))[0]!.config);
  } finally {
    await db.close();
  }
}

/** A union on 127.0.0.1 serving the signed config and its membership log (one page). */
async function startUnion(signedConfig: unknown, log: readonly LogEntry[]) {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const after = Number(url.searchParams.get('after') ?? 0);
    const body =
      url.pathname === '/v1/config'
        ? signedConfig
        : url.pathname === '/v1/membership-log'
          ? {
              entries: log.filter((e) => e.seq > after),
              head: { seq: log.at(-1)!.seq, hash: log.at(-1)!.hash },
              next: null,
            }
          : null;
    response.writeHead(body === null ? 404 : 200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body ?? {}));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('leader and helper processes from the signed union config', () => {
  it('refuse unsigned and non-member uploads, finish a member’s signed report; a leader with another key than the published one refuses to start', async () => {
    const [leaderPort, helperPort] = [await freePort(), await freePort()];
    const plain: UnionConfig = {
      version: 4,
      issuedAt: YESTERDAY - 7 * DAY,
      epochSeconds: DAY,
      categories: [
        { id: 243, key: 'news', label: 'News', description: 'News sites.', domains: [] },
        { id: 289, key: 'shopping', label: 'Shopping', description: 'Shops.', domains: [] },
      ],
      privacy: { epsilon: 2, maxVisits: 50, maxActiveSeconds: 14_400, kThreshold: 2 },
      minExtensionVersion: '0.1.0',
    };
    const taskId = new Uint8Array(randomBytes(32));
    const config: UnionConfig = {
      ...plain,
      aggregation: aggregationFor(plain, {
        taskId: b64(taskId),
        leaderUrl: `http://127.0.0.1:${leaderPort}/`,
        helperUrl: `http://127.0.0.1:${helperPort}/`,
        helperHpkeConfig: b64(await keyOf(helperSchema, 'helper')),
        leaderHpkeConfig: b64(await keyOf(leaderSchema, 'leader')),
        centralEpsilon: 1,
      }),
    };
    const { types, message } = configTypedData(config);
    const signed = {
      config,
      signature: await admin.signTypedData(domain, types, message),
      signer: admin.address,
    };
    const log = membershipLog([{ member: member.address, type: 'join', at: YESTERDAY - DAY }]);
    const union = await startUnion(signed, log);
    const {
      shared,
      helperEnv,
      leaderEnv: leaderPins,
    } = await configTaskOperators(dir, {
      unionUrl: union.url,
      admin: admin.address,
      chainId: 31_337,
      contract,
    });
    try {
      const helper = await startProcess({
        ...helperEnv,
        HELPER_PORT: String(helperPort),
        HELPER_DATA_DIR: path.join(dir, 'helper'),
      });
      const leaderEnv = {
        ...leaderPins,
        LEADER_PORT: String(leaderPort),
        LEADER_AGGREGATION_INTERVAL_SECONDS: '1',
      };
      const leader = await startProcess(
        { ...leaderEnv, LEADER_DATA_DIR: path.join(dir, 'leader') },
        'leader',
      );
      const required = `member signatures required (membership log of ${union.url})`;
      expect(helper.output()).toContain(required);
      expect(leader.output()).toContain(required);

      let task: MemberReportTask = {
        taskId,
        vdaf: sumVecFor(categoryTask(config)),
        timePrecisionSeconds: DAY,
        leaderHpkeConfig: (await helperConfigs(leader.url, taskId))[0]!,
        helperHpkeConfig: (await helperConfigs(helper.url, taskId))[0]!,
        domain,
      };
      const upload = async (signer: Wallet | null, leaderUrl = leader.url) => {
        const { bytes } = await buildMemberReport(task, {
          measurement: [1, 3, 5, 0, 0, 0],
          time: YESTERDAY,
          signedBy: signer === null ? null : { member: signer.address, signer },
        });
        return fetch(`${leaderUrl}/tasks/${taskIdToString(taskId)}/reports`, {
          method: 'PUT',
          headers: { 'content-type': MEDIA_TYPES.report },
          body: Buffer.from(bytes),
        });
      };
      const unsigned = await upload(null);
      expect(unsigned.status).toBe(400);
      expect(await unsigned.text()).toMatch(/reportRejected.*requires a member signature/);
      const foreign = await upload(stranger);
      expect(foreign.status).toBe(400);
      expect(await foreign.text()).toMatch(/was not a member of the union/);
      expect((await upload(member)).status).toBe(200);
      await settledReports([leader], 1);
      expect(leader.output()).toMatch(/1 reports finished, 0 failed/);
      expect(await stopProcess(leader.child)).toBe(0);

      const db = await leaderSchema.open({
        driver: 'pglite',
        dataDir: path.join(dir, 'leader', 'db'),
      });
      try {
        expect((await leaderOutcomes(db)).reports).toEqual({ finished: 1 });
      } finally {
        await db.close();
      }

      // Another database holds another key than the one the config publishes for the leader.
      const refused = startProcess(
        { ...leaderEnv, LEADER_DATA_DIR: path.join(dir, 'other-leader') },
        'leader',
      );
      await expect(refused).rejects.toThrow(
        /publishes another HPKE config for the leader .*publish this leader's \([A-Za-z0-9_-]+\)/,
      );

      // A leader that checks nothing (a task file without memberSignatures, standing for a
      // patched leader) accepts an unsigned upload; the helper still refuses it in the job.
      const uncheckedFile = path.join(dir, 'unchecked-leader-task.json');
      writeFileSync(
        uncheckedFile,
        JSON.stringify({
          ...shared,
          taskId: b64(taskId),
          helperUrl: helper.url,
          vdaf: categoryTask(config).vdaf,
          timePrecisionSeconds: DAY,
          minBatchSize: 2,
        }),
      );
      const unchecked = await startProcess(
        {
          LEADER_TASK_FILE: uncheckedFile,
          LEADER_PORT: String(await freePort()),
          LEADER_DATA_DIR: path.join(dir, 'unchecked-leader'),
          LEADER_AGGREGATION_INTERVAL_SECONDS: '1',
        },
        'leader',
      );
      expect(unchecked.output()).toContain('member signatures not required');
      task = { ...task, leaderHpkeConfig: (await helperConfigs(unchecked.url, taskId))[0]! };
      expect((await upload(null, unchecked.url)).status).toBe(200);
      await settledReports([unchecked], 1);
      expect(unchecked.output()).toMatch(/0 reports finished, 1 failed/);
      expect(await stopProcess(unchecked.child)).toBe(0);
      const uncheckedDb = await leaderSchema.open({
        driver: 'pglite',
        dataDir: path.join(dir, 'unchecked-leader', 'db'),
      });
      try {
        const { rows } = await uncheckedDb.query<{ state: string; error: string }>(
          'SELECT state, error FROM report_aggregations',
        );
        // The helper's answer to a report without a member signature.
        expect(rows).toEqual([{ state: 'failed', error: 'invalid_message' }]);
      } finally {
        await uncheckedDb.close();
      }
      expect(await stopProcess(helper.child)).toBe(0);
    } finally {
      union.server.close();
    }
  }, 180_000);
});
