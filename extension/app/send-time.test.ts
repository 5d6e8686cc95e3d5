import 'fake-indexeddb/auto';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { MAX_SEND_DELAY_MS } from '../outbox/send-time.ts';
import { seededRandom } from '../protocol/noise-seeded-random.ts';
import { startAppHarness, type AppHarness } from '../testing/app-harness.ts';
import { categoryId } from '../testing/fixtures.ts';
import { setNoise } from './test-abilities.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

let h: AppHarness;
let uploads: number[];

/** Kolmogorov–Smirnov distance between the sample and the uniform distribution on [0, max]. */
function ksUniform(sample: number[], max: number): number {
  const sorted = [...sample].sort((a, b) => a - b);
  const n = sorted.length;
  return sorted.reduce((d, x, i) => {
    const f = x / max;
    return Math.max(d, Math.abs(f - i / n), Math.abs((i + 1) / n - f));
  }, 0);
}

function correlation(xs: number[], ys: number[]): number {
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  xs.forEach((x, i) => {
    const y = ys[i] ?? my;
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}

beforeEach(async () => {
  uploads = [];
  h = await startAppHarness(Date.UTC(2026, 10, 25, 10), {
    random: seededRandom(15),
    fetch: (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (url.endsWith('/v1/reports')) uploads.push(h.time.now());
      return fetch(input, init);
    },
  });
  await setNoise(h.app, false);
  await h.app.handlers.giveConsent({});
  await h.app.handlers.setCategory({ id: categoryId('shopping'), enabled: true });
  await h.app.handlers.join({});
});
afterEach(() => h.close());

/** Fires the flush alarm at its time until every waiting report is sent. */
async function sendAllWaiting(): Promise<void> {
  for (;;) {
    const when = h.deps.scheduler.alarms.get('outbox-flush')?.when;
    if (when === undefined) return;
    h.time.set(Math.max(h.time.now(), when));
    await h.app.onAlarm('outbox-flush');
  }
}

describe('when a closed report is first sent', () => {
  it('is a uniform delay after the close, independent of the epoch end and of browser start', async () => {
    const lateness = seededRandom(7);
    const delays: number[] = [];
    const startLateness: number[] = [];
    for (let close = 0; close < 120; close++) {
      // The browser starts 0–40 hours after the last epoch ended (often several epochs later).
      const lastEnd = Math.floor(h.time.now() / DAY_MS) * DAY_MS + DAY_MS;
      const late = Math.floor(lateness() * 40 * HOUR_MS);
      h.time.set(lastEnd + late);
      const closedAt = h.time.now();
      const before = uploads.length;
      await h.app.onAlarm('epoch-close');
      expect(uploads.length).toBe(before); // nothing leaves at start
      await sendAllWaiting();
      for (const at of uploads.slice(before)) {
        delays.push(at - closedAt);
        startLateness.push(late);
      }
    }
    expect(delays.length).toBeGreaterThan(150);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThanOrEqual(MAX_SEND_DELAY_MS);
    // Uniform on [0, 6 h]: KS distance below the 0.1 % critical value 1.95/√n.
    expect(ksUniform(delays, MAX_SEND_DELAY_MS)).toBeLessThan(1.95 / Math.sqrt(delays.length));
    // Not tied to how late the browser started.
    expect(Math.abs(correlation(delays, startLateness))).toBeLessThan(0.15);
    // Reports closed together at one start go at separate times, not in one burst.
    expect(new Set(uploads).size).toBe(uploads.length);
  });

  it('keeps its send time across a worker restart', async () => {
    h.time.set(Math.floor(h.time.now() / DAY_MS) * DAY_MS + DAY_MS + 1000);
    await h.app.onAlarm('epoch-close');
    const [waiting] = (await h.app.handlers.outboxStatus({})).pending;
    h.deps.scheduler.alarms.clear(); // alarms may not survive a browser restart
    const restarted = h.restart();
    const [kept] = (await restarted.handlers.outboxStatus({})).pending;
    expect(kept?.nextAttemptAt).toBe(waiting?.nextAttemptAt);
    expect(h.deps.scheduler.alarms.get('outbox-flush')?.when).toBe(waiting?.nextAttemptAt);
  });

  it('draws a new time when its time passed while the browser was closed', async () => {
    h.time.set(Math.floor(h.time.now() / DAY_MS) * DAY_MS + DAY_MS + 1000);
    await h.app.onAlarm('epoch-close');
    const [waiting] = (await h.app.handlers.outboxStatus({})).pending;
    // The browser was closed through the send time and starts again ten hours later.
    h.time.set((waiting?.nextAttemptAt ?? 0) + 10 * HOUR_MS);
    const startedAt = h.time.now();
    await h.app.onAlarm('outbox-flush');
    expect(uploads).toEqual([]);
    await sendAllWaiting();
    expect(uploads).toHaveLength(1);
    expect((uploads[0] ?? 0) - startedAt).toBeLessThanOrEqual(MAX_SEND_DELAY_MS);
  });
});
