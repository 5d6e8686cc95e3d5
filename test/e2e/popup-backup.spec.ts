/**
 * Key backup through the UI: export an encrypted file from the Key tab, then restore it in a fresh
 * profile (another device) with its password; the member address is the same.
 */
import { readFile } from 'node:fs/promises';

import { call } from './extension-helpers.ts';
import { distE2eDir, expect, test } from './fixtures.ts';
import { launchFreshProfile, openPopup, screenshot } from './popup-helpers.ts';

test.use({ extensionDir: distE2eDir });

const password = 'correct horse battery staple';

test('a backup exported in one profile restores the same address in a fresh profile', async ({
  context,
  extensionId,
}) => {
  test.setTimeout(150_000); // scrypt at the standard cost, twice
  const popup = await openPopup(context, extensionId);
  await call(popup, 'giveConsent', {});
  const { address } = await call(popup, 'keyAddress', {});
  await popup.reload();
  await popup.getByRole('tab', { name: 'Key' }).click();
  await expect(popup.getByTestId('member-address')).toHaveValue(address);

  await popup.getByLabel('New backup password', { exact: true }).fill('short');
  await popup.getByLabel('New backup password again').fill('short');
  await popup.getByRole('button', { name: 'Create backup' }).click();
  await expect(popup.getByRole('alert')).toContainText('at least 10 characters');
  await popup.getByLabel('New backup password', { exact: true }).fill(password);
  await popup.getByLabel('New backup password again').fill(`${password}!`);
  await popup.getByRole('button', { name: 'Create backup' }).click();
  await expect(popup.getByRole('alert')).toContainText('not the same');
  await popup.getByLabel('New backup password again').fill(password);
  await popup.getByRole('button', { name: 'Create backup' }).click();
  const link = popup.getByRole('link', { name: 'Download backup file' });
  await expect(link).toBeVisible({ timeout: 60_000 });
  await screenshot(popup, 'popup-key');
  const downloading = popup.waitForEvent('download');
  await link.click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(
    /^crowdsell-backup-0x[0-9a-f]{6}-\d{4}-\d{2}-\d{2}\.json$/,
  );
  const file = test.info().outputPath('backup.json');
  await download.saveAs(file);
  expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ version: 3 });

  await popup.getByRole('button', { name: 'Delete all local data…' }).click();
  await expect(popup.getByText(/Earnings are recorded on-chain and are not lost/)).toBeVisible();
  await screenshot(popup, 'popup-delete-confirm');
  await popup.getByRole('button', { name: 'Cancel' }).click();

  const fresh = await launchFreshProfile(distE2eDir);
  try {
    const other = await openPopup(fresh, extensionId);
    await call(other, 'giveConsent', {});
    expect((await call(other, 'keyAddress', {})).address).not.toBe(address);
    await other.reload();
    await other.getByRole('tab', { name: 'Key' }).click();
    await other.getByLabel('Backup file').setInputFiles(file);
    await other.getByLabel('Password of this backup').fill(password);
    await other.getByRole('button', { name: 'Restore', exact: true }).click();
    await expect(other.getByTestId('restored-address')).toContainText(address, {
      timeout: 60_000,
    });
    await expect(other.getByTestId('member-address')).toHaveValue(address);
    await screenshot(other, 'popup-restored');
  } finally {
    await fresh.close();
  }
});
