/**
 * The popup steps both money loops (test/e2e/money-loop.spec.ts, plain and through the
 * aggregators) take the same way: onboarding with consent and join, switching categories on, and
 * a withdrawal of everything to an address.
 */
import type { BrowserContext, Page } from '@playwright/test';

import { expect } from '../fixtures.ts';
import { onboardingTab } from '../popup-helpers.ts';

/** The disclosure accepted and the member joined with the baked app secret; the onboarding tab. */
export async function onboardAndJoin(context: BrowserContext): Promise<Page> {
  const onboarding = await onboardingTab(context);
  await onboarding.getByRole('checkbox').check();
  await onboarding.getByRole('button', { name: 'Agree and continue' }).click();
  await onboarding.getByRole('button', { name: 'Join the union' }).click();
  await expect(onboarding.getByTestId('onboarding-done')).toBeVisible();
  return onboarding;
}

/** Switches each named category on in the popup's category list. */
export async function switchCategoriesOn(popup: Page, names: readonly RegExp[]): Promise<void> {
  for (const name of names) {
    const toggle = popup.getByRole('switch', { name });
    await toggle.click();
    await expect(toggle).toBeChecked();
  }
}

/** Withdraws everything withdrawable to `recipient` from the Earnings tab; waits for the relay. */
export async function withdrawAllTo(popup: Page, recipient: string): Promise<void> {
  await popup.reload();
  await popup.getByRole('tab', { name: 'Earnings' }).click();
  await popup.getByLabel('Recipient address').fill(recipient);
  await popup.getByRole('button', { name: 'Withdraw', exact: true }).click();
  await expect(popup.getByText('Withdrawal confirmed.')).toBeVisible({ timeout: 40_000 });
}
