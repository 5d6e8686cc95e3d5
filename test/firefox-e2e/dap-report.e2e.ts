/**
 * The DAP path in a real Firefox (`dist-firefox-e2e/`): under a signed config with an aggregation
 * block, Firefox's event page starts the report worker itself (no offscreen document there) and
 * the report leaves as a DAP upload to the leader (a stand-in leader on 127.0.0.1 keeping the
 * bytes), whose leader share opens with the pinned key and carries the member signature; the union
 * gets no plain report. The real leader and helper are driven by test/e2e/dap-report.spec.ts.
 */
import type { Browser } from 'puppeteer-core';
import { afterEach, beforeEach, expect, it } from 'vitest';

import { decode, encode } from '../../aggregator/dap/codec.ts';
import { openInputShare } from '../../aggregator/dap/hpke-open.ts';
import { generateHpkeKeypair, Role, type HpkeKeypair } from '../../aggregator/dap/hpke.ts';
import { hpkeConfigCodec, reportCodec } from '../../aggregator/dap/upload.ts';
import { aggregationFor, toBase64Url } from '../../extension/protocol/config-aggregation.ts';
import { MEMBER_SIGNATURE_EXTENSION } from '../../extension/protocol/dap-upload-signature.ts';
import { startFakeLeader, type FakeLeader } from '../../extension/testing/fake-leader.ts';
import { startFakeUnion, type FakeUnion } from '../../extension/testing/fake-union.ts';
import {
  categoryId,
  makeConfig,
  signConfig,
  testAggregationChoice,
} from '../../extension/testing/fixtures.ts';
import {
  E2E_UNION_PORT,
  startPageServer,
  testHosts,
  waitFor,
  type PageServer,
} from '../e2e/extension-helpers.ts';
import { hook, openVisits } from './addon-messages.ts';
import { consentAndJoin, openPopupTab, screenshotAll, switchOnGranted } from './addon-ui.ts';
import { distFirefoxE2eDir, launchFirefox } from './firefox.ts';

const shopping = categoryId('shopping');

let union: FakeUnion;
let leader: FakeLeader;
let pages: PageServer;
let browser: Browser;
let leaderKey: HpkeKeypair;

beforeEach(async () => {
  leader = await startFakeLeader();
  leaderKey = await generateHpkeKeypair(1);
  const helperKey = await generateHpkeKeypair(2);
  const plain = makeConfig();
  union = await startFakeUnion(E2E_UNION_PORT);
  union.config = await signConfig({
    ...plain,
    aggregation: aggregationFor(plain, {
      ...testAggregationChoice,
      leaderUrl: leader.url,
      helperUrl: 'http://localhost:1/',
      leaderHpkeConfig: toBase64Url(encode(hpkeConfigCodec, leaderKey.config)),
      helperHpkeConfig: toBase64Url(encode(hpkeConfigCodec, helperKey.config)),
    }),
  });
  pages = await startPageServer();
  browser = await launchFirefox(distFirefoxE2eDir, { localHosts: testHosts });
});

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await screenshotAll(browser, `failed-${task.id}`);
  await browser.close();
  await union.close();
  await leader.close();
  await pages.close();
});

it('builds the DAP report in the event page’s worker and uploads it to the leader, no plain report', async () => {
  await consentAndJoin(browser);
  const popup = await openPopupTab(browser);
  expect(await switchOnGranted(browser, popup, shopping)).toMatch(/browsing activity/);
  const tab = await browser.newPage();
  await tab.goto(pages.url('crowdsell-shop.com', '/basket?item=1'));
  await waitFor(async () => ((await openVisits(popup, shopping)) === 1 ? true : undefined), '1');

  const closed = (await hook(popup, 'closeEpochNow')) as { reported: number[] };
  expect(closed.reported).toHaveLength(1);
  const upload = await waitFor(
    () => Promise.resolve(leader.uploads[0]),
    'an upload at the leader',
    30_000,
  );
  expect(upload.contentType).toBe('application/dap-report');
  const report = decode(reportCodec, upload.body, 'report');
  expect(report.metadata.time).toBe(closed.reported[0]);
  const share = await openInputShare([leaderKey], Role.leader, report.leaderEncryptedInputShare, {
    taskId: Buffer.from(testAggregationChoice.taskId, 'base64url'),
    metadata: report.metadata,
    publicShare: report.publicShare,
  });
  expect(share.extensions.map((e) => e.type)).toEqual([MEMBER_SIGNATURE_EXTENSION]);
  expect(union.reports).toEqual([]);
});
