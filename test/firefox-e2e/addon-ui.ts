/**
 * What a member does in the add-on's own pages in Firefox, shared by the Firefox e2e tests:
 * consent and join on the onboarding tab, switch a category on through Firefox's
 * `browsingActivity` prompt, and screenshots into test-results/screenshots/firefox-*.png.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';

import type { Browser, Page } from 'puppeteer-core';

import { waitFor } from '../e2e/extension-helpers.ts';
import { hook } from './addon-messages.ts';
import { answerPermissionPrompt, firstRunTab, openAddonPage } from './firefox.ts';

const screenshots = path.resolve(import.meta.dirname, '../../test-results/screenshots');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: path.join(screenshots, `firefox-${name}.png`), fullPage: true });
}

/** Every open tab, for the reader of a failed run. */
export async function screenshotAll(browser: Browser, prefix: string): Promise<void> {
  for (const [i, page] of (await browser.pages()).entries()) {
    await screenshot(page, `${prefix}-${i}`);
  }
}

export async function clickText(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(`${selector}::-p-text(${text})`).click();
}

/** Consent and join through the onboarding tab the add-on opens on install, as a member does. */
export async function consentAndJoin(browser: Browser): Promise<Page> {
  const onboarding = await firstRunTab(browser);
  await onboarding.locator('h1::-p-text(Welcome to Crowdsell)').wait();
  await screenshot(onboarding, 'onboarding');
  await onboarding.locator('form.consent input[type=checkbox]').click();
  await clickText(onboarding, 'button', 'Agree and continue');
  await onboarding.locator('h1::-p-text(Join the union)').wait();
  await clickText(onboarding, 'button', 'Join the union');
  await onboarding.locator('h1::-p-text(You are in)').wait();
  return onboarding;
}

/** The popup, in a tab, with report noise off so counts can be compared exactly. */
export async function openPopupTab(browser: Browser): Promise<Page> {
  const popup = await openAddonPage(browser, 'popup/index.html');
  await hook(popup, 'setNoise', { enabled: false });
  return popup;
}

/** Clicks the category's switch (a real click: Firefox only prompts inside a user gesture). */
export async function clickCategory(popup: Page, id: number): Promise<void> {
  await popup.locator(`#category-${id}`).click();
}

export async function isOn(popup: Page, id: number): Promise<boolean> {
  return popup.$eval(`#category-${id}`, (input) => (input as HTMLInputElement).checked);
}

/** Switches a category on, allowing `browsingActivity` in Firefox's own prompt. */
export async function switchOnGranted(browser: Browser, popup: Page, id: number): Promise<string> {
  await clickCategory(popup, id);
  const prompt = await answerPermissionPrompt(browser, 'allow');
  await waitFor(async () => ((await isOn(popup, id)) ? true : undefined), `category ${id} on`);
  return prompt;
}
