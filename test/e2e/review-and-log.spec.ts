/**
 * Review before sending and the request log, in real Chromium (the `dist-e2e/` build): a closed
 * report waits for its random send time in "What was sent", readable; the member withholds it
 * from the popup and it never reaches the union; the same view lists every request the extension
 * made (config, join) with its exact body, and no report request.
 */
import { categoryId } from '../../extension/testing/fixtures.ts';
import { call, hook, hostResolverArgs, waitFor } from './extension-helpers.ts';
import { distE2eDir, expect, test } from './fixtures.ts';
import { screenshot } from './popup-helpers.ts';
import { useFakeUnionStage } from './support/fake-union-stage.ts';

const shopping = categoryId('shopping');

test.use({ extensionDir: distE2eDir, extraArgs: hostResolverArgs });

const stage = useFakeUnionStage();

test('a waiting report can be withheld in the popup and never reaches the union', async ({
  context,
  openExtensionPage,
}) => {
  const popup = await openExtensionPage('popup/index.html');
  await hook(popup, 'setNoise', { enabled: false });
  await call(popup, 'giveConsent', {});
  await call(popup, 'refreshConfig', {});
  await call(popup, 'setCategory', { id: shopping, enabled: true });
  expect((await call(popup, 'join', {})).status).toBe('active');

  const tab = await context.newPage();
  await tab.goto(stage.pages.url('crowdsell-shop.com', '/basket'));
  await waitFor(async () => {
    const open = (await hook(popup, 'openTallies')) as unknown[];
    return open.length > 0 ? true : undefined;
  }, 'a counted visit');
  const closed = (await hook(popup, 'closeEpochNow', { send: false })) as { reported: number[] };
  expect(closed.reported).toHaveLength(1);

  // The report waits for its random send time, readable in "What was sent".
  await popup.bringToFront();
  await popup.reload();
  await popup.getByRole('tab', { name: 'Sent' }).click();
  const waiting = popup.getByTestId('outbox-item');
  await expect(waiting).toHaveCount(1);
  await expect(waiting).toContainText('Will be sent');
  await expect(waiting.getByRole('row', { name: /Shopping/ })).toContainText('1');
  await screenshot(popup, 'review-waiting-report');

  await waiting.getByRole('button', { name: 'Withhold this report' }).click();
  await expect(waiting).toContainText('never sent');
  await waiting.getByRole('button', { name: 'Withhold and delete it' }).click();
  await expect(waiting).toHaveCount(0);
  await expect(popup.getByTestId('sent-entry')).toContainText('withheld by you');

  // Even when everything waiting is sent at once, nothing reaches the stage.union.
  expect(await hook(popup, 'sendWaitingNow')).toEqual({ waiting: 0 });
  expect(stage.union.reports).toEqual([]);
  const [entry] = (await call(popup, 'sentLog', {})).entries;
  expect(entry).toMatchObject({ epochStart: closed.reported[0], outcome: 'withheld', body: '' });

  // Every request the extension made is listed, with its exact body; no report among them.
  await popup.reload();
  await popup.getByRole('tab', { name: 'Sent' }).click();
  const requests = popup.getByTestId('request-entry');
  await expect(requests.filter({ hasText: 'POST /v1/join' })).toHaveCount(1);
  await expect(requests.filter({ hasText: 'GET /v1/config' }).first()).toBeVisible();
  await expect(requests.filter({ hasText: '/v1/reports' })).toHaveCount(0);
  await screenshot(popup, 'review-request-log');
  const { entries } = await call(popup, 'requestLog', {});
  const join = entries.find((e) => e.path === '/v1/join');
  expect(join?.body).toBe(JSON.stringify(stage.union.joins[0]));
  expect(join?.status).toBe(200);
});
