/**
 * The core end to end in real Chromium (the `dist-e2e/` build, which adds test-only hooks):
 * consent and opt-in through the popup's messages, visits to local pages whose host names map
 * to categories, a stopped service worker, the epoch closed early, and a report received by a
 * stand-in union whose signature verifies and whose counts match the visits (noise off).
 */
import { verifyTypedData } from 'ethers';

import { asTypes, reportTypes } from '../../extension/protocol/eip712.ts';
import { signedReportSchema } from '../../extension/protocol/wire.ts';
import {
  adminWallet,
  categoryId,
  makeConfig,
  signConfig,
  testDomain,
} from '../../extension/testing/fixtures.ts';
import { call, hook, hostResolverArgs, stopServiceWorkers, waitFor } from './extension-helpers.ts';
import { distE2eDir, expect, test } from './fixtures.ts';
import { openVisits, useFakeUnionStage } from './support/fake-union-stage.ts';

const shopping = categoryId('shopping');
const news = categoryId('news');

test.use({ extensionDir: distE2eDir, extraArgs: hostResolverArgs });

const stage = useFakeUnionStage();

test('visits become a signed report with matching counts, even across a worker restart', async ({
  context,
  openExtensionPage,
}) => {
  expect(adminWallet.address).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
  const popup = await openExtensionPage('popup/index.html');
  await hook(popup, 'setNoise', { enabled: false });
  await call(popup, 'giveConsent', {});
  expect((await call(popup, 'refreshConfig', {})).version).toBe(1);
  await call(popup, 'setCategory', { id: shopping, enabled: true });
  expect((await call(popup, 'join', {})).status).toBe('active');
  const { address } = await call(popup, 'keyAddress', {});

  const visitedShopping = () => openVisits(popup, shopping);

  const tab = await context.newPage();
  await tab.goto(stage.pages.url('crowdsell-shop.com', '/basket?item=1'));
  await tab.goto(stage.pages.url('www.crowdsell-shop.com', '/product/2'));
  await tab.goto(stage.pages.url('crowdsell-news.com', '/today')); // news is switched off
  await tab.goto(stage.pages.url('crowdsell-other.com', '/')); // not a category
  await waitFor(async () => ((await visitedShopping()) === 2 ? true : undefined), '2 visits');

  // Chrome stops idle workers at any time: memory is gone, IndexedDB is not.
  const before = await hook(popup, 'instance');
  await stopServiceWorkers(popup);
  await tab.goto(stage.pages.url('crowdsell-shop.com', '/after-restart'));
  await waitFor(async () => ((await visitedShopping()) === 3 ? true : undefined), '3 visits');
  expect(await hook(popup, 'instance')).not.toBe(before); // a new worker instance

  const closed = (await hook(popup, 'closeEpochNow')) as { reported: number[] };
  expect(closed.reported).toHaveLength(1);
  const body = await waitFor(
    () => Promise.resolve(stage.union.reports[0]),
    'a report at the union',
  );
  const signed = signedReportSchema.parse(JSON.parse(body));
  expect(verifyTypedData(testDomain, asTypes(reportTypes), signed.report, signed.signature)).toBe(
    address,
  );
  expect(signed.report).toMatchObject({
    member: address,
    epochSeconds: 86_400,
    configVersion: 1,
    epochStart: closed.reported[0],
  });
  expect(signed.report.counts).toHaveLength(1);
  expect(signed.report.counts[0]).toMatchObject({ category: shopping, visits: 3 });
  expect(signed.report.counts.some((c) => c.category === news)).toBe(false);

  // The member sees exactly what was sent.
  const { entries } = await call(popup, 'sentLog', {});
  expect(entries.map((e) => e.body)).toEqual([body]);
  expect(entries[0]?.outcome).toBe('stored');
  // …and every request made to the union, the report's byte for byte among them.
  const requests = (await call(popup, 'requestLog', {})).entries;
  const report = requests.find((r) => r.method === 'POST' && r.path === '/v1/reports');
  expect(report).toMatchObject({ body, status: 201 });
  expect(requests.some((r) => r.method === 'POST' && r.path === '/v1/join')).toBe(true);
});

test('a config outside the privacy bounds is refused and the last good one kept', async ({
  openExtensionPage,
}) => {
  const popup = await openExtensionPage('popup/index.html');
  await call(popup, 'giveConsent', {});
  expect((await call(popup, 'refreshConfig', {})).version).toBe(1);

  stage.union.config = await signConfig(
    makeConfig({ version: 2, privacy: { ...makeConfig().privacy, epsilon: 1000 } }),
  );
  const refused = await call(popup, 'refreshConfig', {});
  expect(refused.version).toBe(1);
  expect(refused.lastError?.code).toBe('CONFIG_MALFORMED');
  expect(refused.lastError?.message).toMatch(/ε must be at most 8/);

  stage.union.config = await signConfig(
    makeConfig({
      version: 3,
      categories: [{ id: 9_999, key: 'gambling', label: 'G', description: 'G.', domains: [] }],
    }),
  );
  expect((await call(popup, 'refreshConfig', {})).lastError?.code).toBe(
    'CONFIG_SENSITIVE_CATEGORY',
  );
  expect((await call(popup, 'listCategories', {})).configVersion).toBe(1);
});

test('nothing is recorded before consent', async ({ context, openExtensionPage }) => {
  const popup = await openExtensionPage('popup/index.html');
  await call(popup, 'refreshConfig', {});
  const tab = await context.newPage();
  await tab.goto(stage.pages.url('crowdsell-shop.com', '/'));
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(await hook(popup, 'openTallies')).toEqual([]);
  expect((await call(popup, 'status', {})).recording).toBe(false);
});

test('a key backup exported in the worker restores the same address after deleting everything', async ({
  openExtensionPage,
}) => {
  test.setTimeout(120_000); // two scrypt runs at the standard cost (N = 2^17)
  const popup = await openExtensionPage('popup/index.html');
  const { address } = await call(popup, 'keyAddress', {});
  const password = 'correct horse battery staple';
  const backup = await call(popup, 'exportBackup', { password });
  expect(backup.address).toBe(address);
  expect(JSON.parse(backup.keystore)).toMatchObject({
    version: 3,
    crypto: { kdf: 'scrypt', kdfparams: { n: 131_072 } },
  });

  await call(popup, 'deleteAllData', { confirm: true });
  const fresh = (await call(popup, 'keyAddress', {})).address;
  expect(fresh).not.toBe(address);
  await expect(
    call(popup, 'importBackup', { keystore: backup.keystore, password: 'wrong password' }),
  ).rejects.toThrow(/BACKUP_WRONG_PASSWORD/);
  const restored = await call(popup, 'importBackup', { keystore: backup.keystore, password });
  expect(restored).toEqual({ address, previousAddress: fresh });
  expect((await call(popup, 'keyAddress', {})).address).toBe(address);
});
