import 'fake-indexeddb/auto';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { startAppHarness, type AppHarness } from '../testing/app-harness.ts';
import { categoryId } from '../testing/fixtures.ts';
import type { Crowdsell } from './crowdsell.ts';

const shopping = categoryId('shopping');
const DAY_MS = 86_400_000;
const dayStart = Date.UTC(2026, 10, 25);

let h: AppHarness;

async function queuedEpochs(app: Crowdsell): Promise<number[]> {
  return (await app.ready()).db.getAllKeys('outbox');
}

beforeEach(async () => {
  h = await startAppHarness(dayStart + 10 * 3_600_000);
  // Not accepted yet: every closed report stays in the outbox, where the test can see it.
  h.union.joinStatus = 'pending';
});
afterEach(() => h.close());

describe('closing epochs', () => {
  it('leaves every closed epoch queued when the worker is killed mid-close', async () => {
    const first = h.app;
    await first.handlers.giveConsent({});
    await first.handlers.setCategory({ id: shopping, enabled: true });
    await first.handlers.join({});
    // The browser stays closed for three days: three epochs end without a visit.
    h.time.advance(3 * DAY_MS);
    const owed = [0, 1, 2].map((day) => (dayStart + day * DAY_MS) / 1000);

    // The worker dies partway: the clock, asked once per queued report, fails on the second.
    const clockNow = h.time.now;
    let calls = 0;
    h.deps.now = () => {
      calls += 1;
      if (calls === 3) throw new Error('worker killed');
      return clockNow();
    };
    await expect(first.onAlarm('epoch-close')).rejects.toThrow('worker killed');
    const partial = await queuedEpochs(first);
    // The kill really happened partway: some epochs queued, not all.
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(owed.length);

    // A fresh worker on the same database closes again: nothing is missing.
    h.deps.now = clockNow;
    const second = h.restart();
    await second.onAlarm('epoch-close');
    expect(await queuedEpochs(second)).toEqual(owed);
  });
});
