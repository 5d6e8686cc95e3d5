/**
 * Issue 17 end to end in real Chromium (`dist-e2e/`): under a signed config with an aggregation
 * block the extension's report goes to the REAL leader process (`npm run union -- leader`) as two
 * encrypted shares, next to the REAL helper process; both run the task of that signed config and
 * check the member signature against the union's public membership log. The leader accepts the
 * upload and aggregates it with the helper. The union (a stand-in on the build's union port) gets
 * no plain report, and no request body the extension sent carries a visited host name or the
 * member's plain counts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { encode } from '../../aggregator/dap/codec.ts';
import { hpkeConfigCodec } from '../../aggregator/dap/upload.ts';
import { loadOrCreateKeypairs } from '../../aggregator/db/hpke-keys.ts';
import { helperSchema } from '../../aggregator/helper/db/schema.ts';
import { leaderSchema } from '../../aggregator/leader/db/schema.ts';
import {
  killProcesses,
  startProcess,
  stopProcess,
  type AggregatorProcess,
} from '../../aggregator/test-support/helper-process.ts';
import { configTaskOperators } from '../../aggregator/test-support/config-task-operators.ts';
import { membershipLog } from '../../aggregator/test-support/member-reports.ts';
import { settledReports } from '../../aggregator/test-support/process-pair.ts';
import { aggregationFor, toBase64Url } from '../../extension/protocol/config-aggregation.ts';
import {
  adminWallet,
  categoryId,
  makeConfig,
  signConfig,
  testSettings,
} from '../../extension/testing/fixtures.ts';
import { freePort } from '../../shared-db/test-support/free-port.ts';
import { call, hook, hostResolverArgs, waitFor } from './extension-helpers.ts';
import { distE2eDir, expect, test } from './fixtures.ts';
import { openVisits, useFakeUnionStage } from './support/fake-union-stage.ts';

/** The leader's port: `npm run build:e2e` grants the extension this origin (VITE_LEADER_URL). */
const E2E_LEADER_PORT = 18_788;
const DAY = 86_400;
const shopping = categoryId('shopping');
const visitedHosts = ['crowdsell-shop.com', 'www.crowdsell-shop.com'];

test.use({ extensionDir: distE2eDir, extraArgs: hostResolverArgs });
test.setTimeout(240_000);

const stage = useFakeUnionStage();
let dir = '';
let started: AggregatorProcess[] = [];
test.beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'crowdsell-dap-e2e-'));
  started = [];
});
test.afterEach(async () => {
  // SIGTERM reaches the process behind tsx; SIGKILL (`killProcesses`) only tsx itself.
  for (const process of started) {
    if (process.child.exitCode === null) await stopProcess(process.child);
  }
  killProcesses();
  rmSync(dir, { recursive: true, force: true });
});

/** Creates the role's database in its folder and returns its HPKE config (DAP encoding). */
async function keyOf(schema: typeof leaderSchema, folder: string): Promise<string> {
  const db = await schema.open({ driver: 'pglite', dataDir: path.join(dir, folder, 'db') });
  try {
    return toBase64Url(encode(hpkeConfigCodec, (await loadOrCreateKeypairs(db))[0]!.config));
  } finally {
    await db.close();
  }
}

async function startAggregators(unionUrl: string, helperPort: number) {
  const { helperEnv, leaderEnv } = await configTaskOperators(dir, {
    unionUrl,
    admin: adminWallet.address,
    chainId: testSettings.chainId,
    contract: testSettings.dataUnionAddress,
  });
  const helper = await startProcess({
    ...helperEnv,
    HELPER_PORT: String(helperPort),
    HELPER_DATA_DIR: path.join(dir, 'helper'),
  });
  started.push(helper);
  const leader = await startProcess(
    {
      ...leaderEnv,
      LEADER_PORT: String(E2E_LEADER_PORT),
      LEADER_DATA_DIR: path.join(dir, 'leader'),
      LEADER_AGGREGATION_INTERVAL_SECONDS: '1',
    },
    'leader',
  );
  started.push(leader);
  return { helper, leader };
}

test('the report reaches the real leader as encrypted shares and is aggregated with the real helper; no request body holds a visited host', async ({
  context,
  openExtensionPage,
}) => {
  const helperPort = await freePort();
  // Version 2: the worker may already hold the stage's plain version 1.
  const plain = makeConfig({ version: 2 });
  stage.union.config = await signConfig({
    ...plain,
    aggregation: aggregationFor(plain, {
      taskId: toBase64Url(randomBytes(32)),
      leaderUrl: `http://127.0.0.1:${E2E_LEADER_PORT}/`,
      helperUrl: `http://127.0.0.1:${helperPort}/`,
      leaderHpkeConfig: await keyOf(leaderSchema, 'leader'),
      helperHpkeConfig: await keyOf(helperSchema, 'helper'),
      centralEpsilon: 1,
    }),
  });
  const { leader, helper }: Record<'leader' | 'helper', AggregatorProcess> = await startAggregators(
    stage.union.url,
    helperPort,
  );
  expect(leader.output()).toContain('member signatures required');
  expect(helper.output()).toContain('member signatures required');

  const popup = await openExtensionPage('popup/index.html');
  await hook(popup, 'setNoise', { enabled: false });
  await call(popup, 'giveConsent', {});
  expect((await call(popup, 'refreshConfig', {})).version).toBe(2);
  await call(popup, 'setCategory', { id: shopping, enabled: true });
  expect((await call(popup, 'join', {})).status).toBe('active');
  const { address } = await call(popup, 'keyAddress', {});
  // The stand-in union's public log: the member joined before today's epoch began, so both
  // aggregators count them a member at the report's time (the epoch start).
  const today = Math.floor(Date.now() / 1000 / DAY) * DAY;
  stage.union.membershipLog = membershipLog([{ member: address, type: 'join', at: today - 3600 }]);

  const tab = await context.newPage();
  await tab.goto(stage.pages.url(visitedHosts[0]!, '/basket?item=1'));
  await tab.goto(stage.pages.url(visitedHosts[1]!, '/product/2'));
  await waitFor(
    async () => ((await openVisits(popup, shopping)) === 2 ? true : undefined),
    '2 visits',
  );

  const closed = (await hook(popup, 'closeEpochNow')) as { reported: number[] };
  expect(closed.reported).toEqual([today]);
  const sent = await waitFor(
    async () => (await call(popup, 'sentLog', {})).entries[0],
    'the report answered by the leader',
    60_000,
  );
  expect(sent.outcome).toBe('stored');
  expect(sent.answer.status).toBe(200);
  expect(sent.dap?.measurement).toEqual([1, 2, 0, 0, 0, 0]);
  expect(sent.dap?.bytes).toMatch(/^0x[0-9a-f]+$/);

  // Accepted by the leader, prepared with the helper: one report finished, none failed.
  await settledReports([leader], 1);
  expect(leader.output()).toMatch(/1 reports finished, 0 failed/);

  // "What was sent" shows the measurement, who reads what, and the exact bytes with their size.
  await popup.bringToFront();
  await popup.reload();
  await popup.getByRole('tab', { name: 'Sent' }).click();
  await expect(popup.getByTestId('dap-protection')).toContainText('independent helper');
  await expect(popup.getByTestId('dap-protection')).toContainText('colluded');
  const entry = popup.getByTestId('sent-entry');
  await expect(entry.getByRole('row', { name: /Shopping/ })).toContainText('yes');
  await expect(entry.getByRole('row', { name: /News/ })).toContainText('no');
  await expect(entry).toContainText('neither alone can read it');
  await expect(entry.getByTestId('dap-bytes')).toContainText(
    `${(sent.dap!.bytes!.length - 2) / 2} bytes`,
  );

  // No plain report reached the union; the upload went to the leader, byte for byte as logged.
  expect(stage.union.reports).toEqual([]);
  const requests = (await call(popup, 'requestLog', {})).entries;
  const upload = requests.find((r) => r.method === 'PUT');
  expect(upload?.path).toBe(
    `http://127.0.0.1:${E2E_LEADER_PORT}/tasks/${stage.union.config.config.aggregation!.taskId}/reports`,
  );
  expect(upload?.status).toBe(200);
  const bodies = [
    ...stage.union.requests.map((r) => r.body),
    ...requests.map((r) => r.body ?? ''),
    Buffer.from(sent.dap!.bytes!.slice(2), 'hex').toString('latin1'),
  ];
  for (const body of bodies) {
    for (const host of visitedHosts) expect(body).not.toContain(host);
    expect(body).not.toContain('basket');
  }
});
