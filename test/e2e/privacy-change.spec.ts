/**
 * Consent follows a privacy change, in real Chromium (the `dist-e2e/` build): the member has
 * Shopping on; the union publishes a signed config whose Shopping rules also count another site;
 * the popup shows the change and Shopping is paused — a visit in between is not counted — until
 * the member confirms in the popup. The popup also shows the budget and, this being an e2e build,
 * that short epochs and a small k are allowed.
 */
import { categoryId, makeConfig, signConfig } from '../../extension/testing/fixtures.ts';
import { call, hostResolverArgsFor, testHosts, waitFor } from './extension-helpers.ts';
import { distE2eDir, expect, test } from './fixtures.ts';
import { openPopup, screenshot } from './popup-helpers.ts';
import { openVisits, useFakeUnionStage } from './support/fake-union-stage.ts';

const shopping = categoryId('shopping');
const news = categoryId('news');
const deals = 'crowdsell-deals.com';

test.use({ extensionDir: distE2eDir, extraArgs: hostResolverArgsFor([...testHosts, deals]) });

const stage = useFakeUnionStage();

test('a config that widens Shopping pauses it until the member confirms in the popup', async ({
  context,
  extensionId,
  openExtensionPage,
}) => {
  const worker = await openExtensionPage('popup/index.html');
  await call(worker, 'giveConsent', {});
  expect((await call(worker, 'refreshConfig', {})).version).toBe(1);
  await call(worker, 'setCategory', { id: shopping, enabled: true });
  await call(worker, 'setCategory', { id: news, enabled: true });
  const { union, pages } = stage;
  const visits = (id: number) => openVisits(worker, id);

  const base = makeConfig();
  union.config = await signConfig(
    makeConfig({
      version: 2,
      categories: base.categories.map((c) =>
        c.id === shopping ? { ...c, domains: [...c.domains, deals] } : c,
      ),
    }),
  );
  expect((await call(worker, 'refreshConfig', {})).version).toBe(2);

  const popup = await openPopup(context, extensionId);
  const notice = popup.getByRole('status').filter({ hasText: 'The union changed its terms' });
  await expect(notice).toContainText(`Shopping now also counts ${deals}`);
  await expect(notice).toContainText('Nothing is counted for Shopping until you confirm');
  await expect(popup.getByText('paused until you confirm')).toBeVisible();
  await expect(popup.getByTestId('development-build')).toHaveText(
    'Development build: short epochs and small k allowed',
  );
  await expect(popup.getByTestId('privacy-budget')).toContainText('Last 24 hours: 0 spent');
  await popup.getByText('Sites the union adds to this category (2)').click();
  await expect(popup.getByText(`crowdsell-shop.com, ${deals}`)).toBeVisible();
  await screenshot(popup, 'privacy-change-held');

  // In between: Shopping visits are not counted (the widened site nor the old one); News, whose
  // rules did not change, is, and its visit after them tells that the worker handled them.
  expect((await call(worker, 'status', {})).enabledCategories).toBe(1);
  const tab = await context.newPage();
  await tab.goto(pages.url(deals, '/offer'));
  await tab.goto(pages.url('crowdsell-shop.com', '/basket'));
  await tab.goto(pages.url('crowdsell-news.com', '/'));
  await waitFor(async () => ((await visits(news)) === 1 ? true : undefined), 'the news visit');
  expect(await visits(shopping)).toBe(0);

  await popup.getByRole('button', { name: 'Confirm and resume' }).click();
  await expect(notice).toHaveCount(0);
  await expect(popup.getByText('paused until you confirm')).toHaveCount(0);
  expect((await call(worker, 'listCategories', {})).privacyChange).toBeNull();

  await tab.goto(pages.url(deals, '/offer-2'));
  await waitFor(async () => ((await visits(shopping)) === 1 ? true : undefined), 'a visit');
});
