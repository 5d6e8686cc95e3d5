/**
 * The core under a config with an aggregation block (issue 17): each closed epoch becomes one DAP
 * report — a measurement for every category of the task, zeros for those the member has off — built
 * once at its first send (sharded, signed in the vault, sealed to the leader and the helper the
 * signed config pins) and uploaded to the leader; retries send the same bytes; no plain report
 * goes to the union. Real HPKE keys, a real Prio3 sharding, a fake leader on 127.0.0.1.
 */
import 'fake-indexeddb/auto';

import { hexlify } from 'ethers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { decode, encode } from '../../aggregator/dap/codec.ts';
import { openInputShare } from '../../aggregator/dap/hpke-open.ts';
import { generateHpkeKeypair, Role, type HpkeKeypair } from '../../aggregator/dap/hpke.ts';
import { hpkeConfigCodec, hpkeConfigListCodec, reportCodec } from '../../aggregator/dap/upload.ts';
import { aggregationFor, toBase64Url } from '../protocol/config-aggregation.ts';
import { MEMBER_SIGNATURE_EXTENSION, verifyDapUpload } from '../protocol/dap-upload-signature.ts';
import { DEVELOPMENT_LIMITS } from '../protocol/privacy-budget.ts';
import { startAppHarness, type AppHarness } from '../testing/app-harness.ts';
import { startFakeLeader, type FakeLeader } from '../testing/fake-leader.ts';
import {
  categoryId,
  makeConfig,
  signConfig,
  testAggregationChoice,
  testDomain,
} from '../testing/fixtures.ts';
import { closeCurrentEpochNow, sendWaitingNow, setNoise } from './test-abilities.ts';

const shopping = categoryId('shopping');
const news = categoryId('news');
const dayStart = Date.UTC(2026, 10, 25) / 1000;
const page = (url: string) => ({ url, incognito: false });

let h: AppHarness;
let leader: FakeLeader;
let leaderKey: HpkeKeypair;
let helperKey: HpkeKeypair;

const configBytes = (k: HpkeKeypair) => toBase64Url(encode(hpkeConfigCodec, k.config));

beforeEach(async () => {
  leader = await startFakeLeader();
  [leaderKey, helperKey] = await Promise.all([generateHpkeKeypair(1), generateHpkeKeypair(2)]);
  h = await startAppHarness(dayStart * 1000 + 10 * 3_600_000, {
    privacyLimits: DEVELOPMENT_LIMITS,
  });
  const config = makeConfig({ version: 2 });
  h.union.config = await signConfig({
    ...config,
    aggregation: aggregationFor(config, {
      ...testAggregationChoice,
      leaderUrl: leader.url,
      helperUrl: 'http://localhost:1/',
      leaderHpkeConfig: configBytes(leaderKey),
      helperHpkeConfig: configBytes(helperKey),
    }),
  });
  await setNoise(h.app, false);
  await h.app.handlers.giveConsent({});
  await h.app.handlers.setCategory({ id: shopping, enabled: true });
  await h.app.handlers.join({});
});
afterEach(async () => {
  await h.close();
  await leader.close();
});

async function waiting() {
  return (await h.app.ready()).db.getAll('outbox');
}

describe('DAP reports', () => {
  it('measures every category of the task, zeros for one the member has off, and sends no plain report', async () => {
    await h.app.onPageLoaded(page('https://crowdsell-shop.com/a'));
    await h.app.onPageLoaded(page('https://crowdsell-shop.com/b'));
    // News is off: a visit there is not counted, and its entries are zeros.
    await h.app.onPageLoaded(page('https://crowdsell-news.com/'));
    expect((await closeCurrentEpochNow(h.app, { send: false })).reported).toEqual([dayStart]);
    const [record] = await waiting();
    expect(record?.body).toBe('');
    expect(record?.dap).toMatchObject({
      categoryIds: [shopping, news],
      measurement: [1, 2, 0, 0, 0, 0],
      localNoise: false,
      bytes: null,
    });

    await sendWaitingNow(h.app);
    expect(leader.uploads).toHaveLength(1);
    expect(leader.uploads[0]?.contentType).toBe('application/dap-report');
    expect(h.union.reports).toEqual([]);
    expect(h.union.requests.some((r) => r.path === '/v1/reports')).toBe(false);
    const [sent] = await (await h.app.ready()).db.getAll('sent-log');
    expect(sent).toMatchObject({ outcome: 'stored', body: '' });
    expect(sent?.dap?.bytes).toBe(hexlify(leader.uploads[0]!.body));
  });

  it('uploads a report whose leader share opens with the pinned key and carries the member signature', async () => {
    await closeCurrentEpochNow(h.app);
    const upload = leader.uploads[0];
    expect(upload?.path).toBe(`/tasks/${testAggregationChoice.taskId}/reports`);
    const report = decode(reportCodec, upload!.body, 'report');
    expect(report.metadata.time).toBe(dayStart);
    const taskId = Buffer.from(testAggregationChoice.taskId, 'base64url');
    const aad = { taskId, metadata: report.metadata, publicShare: report.publicShare };
    const share = await openInputShare(
      [leaderKey],
      Role.leader,
      report.leaderEncryptedInputShare,
      aad,
    );
    const [extension] = share.extensions;
    expect(extension?.type).toBe(MEMBER_SIGNATURE_EXTENSION);
    const member = verifyDapUpload(
      testDomain,
      {
        taskId,
        reportId: report.metadata.reportId,
        epochStart: dayStart,
        publicShare: report.publicShare,
      },
      extension!.data,
    );
    expect(member).toBe((await h.app.ready()).state.address);
    // The helper's share is sealed to the helper: the leader's key does not open it.
    await expect(
      openInputShare([leaderKey], Role.helper, report.helperEncryptedInputShare, aad),
    ).rejects.toThrow();
  });

  it('builds the upload once: retries and a restarted worker resend the same bytes', async () => {
    leader.answers.push({ status: 503 }, { status: 400, problem: 'outdatedConfig' });
    await closeCurrentEpochNow(h.app);
    const [first] = await waiting();
    expect(first?.lastError).toMatchObject({ status: 503 });
    const stored = first?.dap?.bytes;
    expect(stored).toMatch(/^0x[0-9a-f]+$/);

    await sendWaitingNow(h.app);
    const [second] = await waiting();
    expect(second?.lastError).toMatchObject({ status: 400, code: 'DAP_OUTDATED_CONFIG' });
    expect(second?.dap?.bytes).toBe(stored);

    // The worker restarts: the stored bytes go again, no second sharding.
    h.app = h.restart();
    await sendWaitingNow(h.app);
    expect(await waiting()).toEqual([]);
    expect(leader.uploads).toHaveLength(3);
    for (const upload of leader.uploads) expect(hexlify(upload.body)).toBe(stored);
  });

  it('records a report the leader rejects as final, with its bytes, and does not retry it', async () => {
    leader.answers.push({ status: 400, problem: 'reportRejected' });
    await closeCurrentEpochNow(h.app);
    expect(await waiting()).toEqual([]);
    const [sent] = await (await h.app.ready()).db.getAll('sent-log');
    expect(sent).toMatchObject({ outcome: 'rejected', answer: { status: 400 } });
    expect(sent?.dap?.bytes).toBe(hexlify(leader.uploads[0]!.body));
    await sendWaitingNow(h.app);
    expect(leader.uploads).toHaveLength(1);
  });

  it('stores the built bytes before the first send, so a send the network loses keeps them', async () => {
    await leader.close();
    await closeCurrentEpochNow(h.app);
    const [record] = await waiting();
    // The build needs no network (both keys are pinned): the bytes exist before the failed send.
    expect(record?.lastError).toMatchObject({ code: 'NETWORK' });
    expect(record?.dap?.bytes).toMatch(/^0x/);
  });

  it('fetches the leader’s HPKE config when the signed config does not pin it (never the helper’s)', async () => {
    const held = (await h.app.ready()).state.config!.signed.config;
    const { leaderHpkeConfig: _pinned, ...unpinned } = held.aggregation!;
    h.union.config = await signConfig({ ...held, version: 3, aggregation: unpinned });
    expect((await h.app.handlers.refreshConfig({})).version).toBe(3);
    leader.hpkeConfigList = encode(hpkeConfigListCodec, [leaderKey.config]);
    await closeCurrentEpochNow(h.app);
    const report = decode(reportCodec, leader.uploads[0]!.body, 'report');
    const taskId = Buffer.from(testAggregationChoice.taskId, 'base64url');
    const aad = { taskId, metadata: report.metadata, publicShare: report.publicShare };
    await expect(
      openInputShare([leaderKey], Role.leader, report.leaderEncryptedInputShare, aad),
    ).resolves.toBeDefined();
    const asked = await (await h.app.ready()).db.getAll('request-log');
    expect(asked.some((r) => r.path.startsWith(`${leader.url}hpke_config?task_id=`))).toBe(true);
  });

  it('uploads the same length whichever categories are on', async () => {
    await closeCurrentEpochNow(h.app);
    await h.app.handlers.setCategory({ id: news, enabled: true });
    h.time.advance(86_400_000);
    await closeCurrentEpochNow(h.app);
    expect(leader.uploads).toHaveLength(2);
    expect(leader.uploads[0]!.body.length).toBe(leader.uploads[1]!.body.length);
  });
});
