/**
 * Gas targets of issues 4 and 20, kept as a test so a change that makes the hot paths more expensive than
 * the targets fails CI rather than only showing up in `npm run bench:gas`.
 */
import { expect, it } from 'vitest';
import { GAS_TARGETS, measureGas } from './testing/gas-scenarios.ts';

it('commit, repeat withdrawAll, first signed withdrawal (on a clone) and a new union stay within their gas targets', async () => {
  const { figures } = await measureGas();
  expect(figures.commit).toBeLessThanOrEqual(GAS_TARGETS.commit);
  expect(figures.withdrawAllDepth20).toBeLessThanOrEqual(GAS_TARGETS.withdrawAllDepth20);
  expect(figures.firstSignedWithdrawDepth20).toBeLessThanOrEqual(
    GAS_TARGETS.firstSignedWithdrawDepth20,
  );
  expect(figures.createUnion).toBeLessThanOrEqual(GAS_TARGETS.createUnion);
  expect(figures.withdrawAllDepth10).toBeLessThan(figures.withdrawAllDepth20);
});
