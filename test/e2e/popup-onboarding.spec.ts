/**
 * The member's path through the real UI (the `dist-e2e/` build): the onboarding page opened on
 * install, consent, joining, a category switched on in the popup, visits to local pages, and the
 * report shown byte for byte in "What was sent". Also: declining records nothing; a join without
 * the secret waits for approval.
 */
import { call, hook, hostResolverArgs, waitFor } from './extension-helpers.ts';
import { distE2eDir, expect, test } from './fixtures.ts';
import { onboardingTab, openJoinedPopup, openPopup, screenshot } from './popup-helpers.ts';
import { useFakeUnionStage } from './support/fake-union-stage.ts';

test.use({ extensionDir: distE2eDir, extraArgs: hostResolverArgs });

const stage = useFakeUnionStage();

test('a member consents, joins, switches a category on and sees the report that was sent', async ({
  context,
  extensionId,
}) => {
  const onboarding = await onboardingTab(context);
  await expect(onboarding.getByRole('heading', { name: 'Welcome to Crowdsell' })).toBeVisible();
  await expect(onboarding.getByRole('checkbox')).not.toBeChecked();
  await screenshot(onboarding, 'onboarding-disclosure');

  await onboarding.getByRole('button', { name: 'Agree and continue' }).click();
  await expect(onboarding.getByRole('alert')).toContainText('Tick the box');
  await onboarding.getByRole('checkbox').check();
  await onboarding.getByRole('button', { name: 'Agree and continue' }).click();
  await expect(onboarding.getByRole('heading', { name: 'Join the union' })).toBeVisible();
  await screenshot(onboarding, 'onboarding-join');
  await onboarding.getByRole('button', { name: 'Join the union' }).click();
  await expect(onboarding.getByTestId('onboarding-done')).toBeVisible();
  await expect(onboarding.getByRole('switch', { name: /Shopping/ })).not.toBeChecked();
  await screenshot(onboarding, 'onboarding-done');
  expect(stage.union.joins).toHaveLength(1);

  const popup = await openPopup(context, extensionId);
  await hook(popup, 'setNoise', { enabled: false });
  const shopping = popup.getByRole('switch', { name: /Shopping/ });
  await expect(shopping).not.toBeChecked();
  await expect(popup.getByRole('switch', { name: /News/ })).not.toBeChecked();
  await shopping.click();
  await expect(shopping).toBeChecked();
  await expect(popup.getByTestId('recording-state')).toHaveText('Recording');
  await screenshot(popup, 'popup-categories');

  const tab = await context.newPage();
  await tab.goto(stage.pages.url('crowdsell-shop.com', '/basket'));
  await tab.goto(stage.pages.url('crowdsell-shop.com', '/product/2'));
  await waitFor(async () => {
    const open = (await hook(popup, 'openTallies')) as { tallies: Record<string, unknown> }[];
    return open.length > 0 ? true : undefined;
  }, 'counted visits');
  await hook(popup, 'closeEpochNow');
  const body = await waitFor(
    () => Promise.resolve(stage.union.reports[0]),
    'a report at the union',
  );

  await popup.bringToFront();
  await popup.getByRole('tab', { name: 'Sent' }).click();
  const entry = popup.getByTestId('sent-entry');
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText('accepted by the union');
  await expect(entry.getByRole('row', { name: /Shopping 2/ })).toBeVisible();
  await entry.getByText('Exact text sent').click();
  await expect(entry.getByTestId('sent-raw')).toHaveText(body);
  await screenshot(popup, 'popup-sent');
});

test('the popup pauses, resumes, excludes sites and shows the earnings placeholder', async ({
  context,
  extensionId,
}) => {
  const popup = await openJoinedPopup(context, extensionId);
  await popup.reload();

  await popup.getByRole('button', { name: '1 hour' }).click();
  await expect(popup.getByTestId('pause-state')).toContainText('Paused until');
  await screenshot(popup, 'popup-paused');
  await popup.getByRole('button', { name: 'Resume' }).click();
  await expect(popup.getByRole('button', { name: 'Until tomorrow' })).toBeVisible();

  await popup.getByRole('tab', { name: 'Categories' }).press('ArrowRight');
  await expect(popup.getByRole('tab', { name: 'Sites' })).toBeFocused();
  await expect(popup.getByText('No sites excluded.')).toBeVisible();
  await popup.getByLabel('Site to exclude').fill('crowdsell-news.com');
  await popup.getByRole('button', { name: 'Exclude', exact: true }).click();
  await expect(popup.getByRole('listitem').filter({ hasText: 'crowdsell-news.com' })).toBeVisible();
  await screenshot(popup, 'popup-sites');
  await popup.getByRole('button', { name: 'Stop excluding crowdsell-news.com' }).click();
  await expect(popup.getByText('No sites excluded.')).toBeVisible();

  await popup.getByRole('tab', { name: 'Sent' }).click();
  await expect(popup.getByText(/No report has been sent yet/)).toBeVisible();
  // …but the requests already made are listed (the union's config, at least).
  await expect(
    popup.getByTestId('request-entry').filter({ hasText: 'GET /v1/config' }).first(),
  ).toBeVisible();
  await popup.getByRole('tab', { name: 'Earnings' }).click();
  await expect(popup.getByTestId('earnings-placeholder')).toContainText(
    'Earnings appear here once the union publishes them.',
  );
  await screenshot(popup, 'popup-earnings');
});

test('declining consent records nothing and leaves the popup asking', async ({
  context,
  extensionId,
}) => {
  const onboarding = await onboardingTab(context);
  await onboarding.getByRole('button', { name: 'No, thanks' }).click();
  await expect(onboarding.getByTestId('declined')).toContainText('Nothing was recorded');
  await screenshot(onboarding, 'onboarding-declined');

  const tab = await context.newPage();
  await tab.goto(stage.pages.url('crowdsell-shop.com', '/'));
  const popup = await openPopup(context, extensionId);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(await hook(popup, 'openTallies')).toEqual([]);
  const status = await call(popup, 'status', {});
  expect(status.consentGivenAt).toBeNull();
  expect(status.recording).toBe(false);
  expect(stage.union.joins).toHaveLength(0);
  await expect(popup.getByRole('button', { name: 'Read and decide' })).toBeVisible();
  await screenshot(popup, 'popup-before-consent');
});

test('without the secret the member waits for approval until the union accepts', async ({
  context,
}) => {
  stage.union.joinStatus = 'pending';
  const onboarding = await onboardingTab(context);
  await onboarding.getByRole('checkbox').check();
  await onboarding.getByRole('button', { name: 'Agree and continue' }).click();
  await onboarding.getByRole('button', { name: 'Join the union' }).click();
  await expect(onboarding.getByTestId('join-pending')).toContainText('Waiting for approval');
  await screenshot(onboarding, 'onboarding-waiting');

  stage.union.memberStatus = 'active';
  await onboarding.getByRole('button', { name: 'Check now' }).click();
  await expect(onboarding.getByTestId('onboarding-done')).toBeVisible();
});
