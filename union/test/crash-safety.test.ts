/**
 * Crash safety: a union process is SIGKILLed in the middle of a stream of report uploads, then
 * restarted on the same PGlite data folder. Every report that was answered 2xx must be stored,
 * exactly once, with the content that was sent; nothing answered with an error may be half-kept.
 */
/* eslint-disable @typescript-eslint/no-unsafe-member-access --
   Response bodies are loosely typed JSON here on purpose: the assertions (expect) check their shape. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Wallet } from 'ethers';
import { afterAll, describe, expect, it } from 'vitest';

import { unionDomain } from '../../extension/protocol/eip712.ts';
import type { SignedReport } from '../../extension/protocol/wire.ts';
import { openPglite } from '../db/pglite-driver.ts';
import {
  randomWallet,
  signConfig,
  signJoin,
  signReport,
  siweMessageFor,
  TEST_CHAIN_ID,
  TEST_DATA_UNION,
  testConfig,
  testReport,
} from '../test-support/fixtures.ts';
import { client } from '../test-support/http-client.ts';
import { freePort } from '../test-support/free-port.ts';

const root = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'crowdsell-crash-'));
const admin = randomWallet();
const domain = unionDomain(TEST_CHAIN_ID, TEST_DATA_UNION);
let child: ChildProcess | null = null;

async function startChild(port: number): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'union/cli/main.ts', 'serve'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      CROWDSELL_DATA_DIR: path.join(dir, 'data'),
      CHAIN_ID: String(TEST_CHAIN_ID),
      DATA_UNION_ADDRESS: TEST_DATA_UNION,
      ADMIN_ADDRESS: admin.address,
      OPERATOR_ADDRESS: admin.address,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_JOINS_PER_IP: '0',
      RATE_LIMIT_REPORT_REQUESTS_PER_IP: '0',
      RATE_LIMIT_REPORTS_PER_MEMBER: '0',
      RATE_LIMIT_ADMIN_PER_IP: '0',
      INITIAL_CONFIG_FILE: path.join(dir, 'config.json'),
    },
  });
  child = proc;
  let output = '';
  proc.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  proc.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`union exited (${proc.exitCode}): ${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { proc, url };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`union did not start: ${output}`);
}

const keyOf = (r: SignedReport) => `${r.report.member.toLowerCase()}:${r.report.epochStart}`;

afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('crash safety', () => {
  it('every report answered 2xx survives a SIGKILL mid-stream, stored exactly once', async () => {
    writeFileSync(
      path.join(dir, 'config.json'),
      // Within the store limits the child union applies: hourly epochs at ε 0.25 (6 a day).
      JSON.stringify(
        await signConfig(
          admin,
          domain,
          testConfig(1, { privacy: { ...testConfig(1).privacy, epsilon: 0.25 } }),
        ),
      ),
    );
    const port = await freePort();
    let { proc, url } = await startChild(port);
    let call = client(url);

    const nonce = (await call<{ nonce: string }>('GET', '/v1/admin/nonce')).body.nonce;
    const message = siweMessageFor(admin, url, nonce);
    const session = await call<{ token: string }>('POST', '/v1/admin/session', {
      message,
      signature: await admin.signMessage(message),
    });
    const adminCall = client(url, { authorization: `Bearer ${session.body.token}` });
    const secret = (await adminCall<{ secret: string }>('POST', '/v1/admin/secrets', {})).body
      .secret;
    const members: Wallet[] = Array.from({ length: 20 }, randomWallet);
    // The union under test is the real CLI in a child process, on the wall clock; so is this test.
    // Nothing here sits at a boundary: joins are fresh for 10 minutes and every report is for an
    // hour 1 to 40 hours back, still closed and inside the 7-day window if the hour turns meanwhile.
    const now = Math.floor(Date.now() / 1000);
    for (const m of members) {
      const joined = await call('POST', '/v1/join', await signJoin(m, domain, now, secret));
      expect(joined.body.member.status).toBe('active');
    }
    const reports: SignedReport[] = [];
    for (let h = 1; h <= 40; h++)
      for (const m of members) reports.push(await signReport(m, domain, testReport(m, now, h)));

    // Stream: 8 uploaders, singles and batches of 5; SIGKILL once 150 reports were acknowledged.
    const acked = new Set<string>();
    let next = 0;
    let killed = false;
    let failedRequests = 0;
    const uploader = async (batch: boolean) => {
      while (next < reports.length) {
        const items = reports.slice(next, next + (batch ? 5 : 1));
        next += items.length;
        try {
          if (batch) {
            const r = await call<{ results: { status: string }[] }>('POST', '/v1/reports/batch', {
              reports: items,
            });
            if (r.status !== 200) throw new Error(r.text);
            r.body.results.forEach((res, i) => {
              if (res.status === 'accepted' || res.status === 'duplicate')
                acked.add(keyOf(items[i]!));
            });
          } else {
            const r = await call('POST', '/v1/reports', items[0]);
            if (r.status === 200 || r.status === 201) acked.add(keyOf(items[0]!));
            else throw new Error(r.text);
          }
        } catch {
          failedRequests++;
          if (!killed) throw new Error('an upload failed before the kill');
        }
        if (!killed && acked.size >= 150) {
          killed = true;
          proc.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, i) => uploader(i % 2 === 0)));
    expect(killed).toBe(true);
    await new Promise((r) =>
      proc.exitCode !== null || proc.signalCode ? r(null) : proc.once('exit', r),
    );
    expect(failedRequests).toBeGreaterThan(0);

    ({ proc, url } = await startChild(port));
    call = client(url);
    // Every acknowledged report is there with the same content: resending it is a 200 duplicate.
    for (const r of reports.filter((x) => acked.has(keyOf(x)))) {
      const again = await call('POST', '/v1/reports', r);
      expect(again.status, keyOf(r)).toBe(200);
    }
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));

    const db = await openPglite({ dataDir: path.join(dir, 'data') });
    try {
      const { rows } = await db.query<{ member: string; epoch_start: number; n: number }>(
        'SELECT member, epoch_start, count(*)::int AS n FROM reports GROUP BY member, epoch_start',
      );
      const stored = new Set(rows.map((r) => `${r.member}:${r.epoch_start}`));
      expect(rows.every((r) => r.n === 1)).toBe(true);
      for (const key of acked) expect(stored.has(key), key).toBe(true);
      console.log(
        `crash test: ${acked.size} reports acknowledged before SIGKILL, ${failedRequests} uploads failed by the kill, ` +
          `${rows.length} rows stored, ${reports.length} reports in the stream`,
      );
    } finally {
      await db.close();
    }
  }, 300_000);
});
