/**
 * The union's minimum withdrawal in the real popup (the `dist-e2e/` build, a stand-in union): below
 * it the withdraw form says where withdrawals start and how much the member has, and cannot send;
 * above it the form shows the amount, the minimum, and sends.
 */
import { distE2eDir, expect, test } from './fixtures.ts';
import { openJoinedPopup, screenshot } from './popup-helpers.ts';
import { useFakeUnionStage } from './support/fake-union-stage.ts';

test.use({ extensionDir: distE2eDir });

const token = {
  address: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
  symbol: 'DATA',
  decimals: 18,
};
const recipient = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const ONE = 10n ** 18n;

function earnings(withdrawable: bigint) {
  return {
    total: String(2n * ONE),
    withdrawn: '0',
    withdrawable: String(withdrawable),
    pending: String(2n * ONE - withdrawable),
    nextUsableAt: null,
    minWithdrawal: String(ONE),
    token,
  };
}

const stage = useFakeUnionStage();

test('the withdraw form explains the minimum and sends nothing below it', async ({
  context,
  extensionId,
}) => {
  const popup = await openJoinedPopup(context, extensionId);
  const withdraw = popup.getByRole('button', { name: 'Withdraw', exact: true });

  stage.union.earnings = earnings(ONE / 4n);
  await popup.reload();
  await popup.getByRole('tab', { name: 'Earnings' }).click();
  await expect(popup.getByTestId('withdraw-below-minimum')).toHaveText(
    'Withdrawals start at 1 DATA; you have 0.25 DATA. Your earnings keep adding up until they reach it.',
  );
  await popup.getByLabel('Recipient address').fill(recipient);
  await expect(withdraw).toBeDisabled();
  await screenshot(popup, 'popup-withdraw-below-minimum');

  stage.union.earnings = earnings(ONE + ONE / 2n);
  await popup.reload();
  await popup.getByRole('tab', { name: 'Earnings' }).click();
  await expect(popup.getByTestId('withdraw-amount')).toContainText('1.5 DATA');
  await expect(popup.getByTestId('withdraw-minimum')).toContainText('Withdrawals start at 1 DATA');
  await expect(popup.getByTestId('withdraw-below-minimum')).toHaveCount(0);
  await popup.getByLabel('Recipient address').fill(recipient);
  await expect(withdraw).toBeEnabled();
  await withdraw.click();
  await expect(popup.getByTestId('withdraw-progress')).toBeVisible();
  expect(stage.union.withdrawals).toHaveLength(1);
});
