import 'fake-indexeddb/auto';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { MAX_SEND_DELAY_MS } from '../outbox/send-time.ts';
import { seededRandom } from '../protocol/noise-seeded-random.ts';
import { startFakeUnion, type FakeUnion } from '../testing/fake-union.ts';
import {
  categoryId,
  clock,
  makeConfig,
  signConfig,
  testDeps,
  testSettings,
  type Clock,
} from '../testing/fixtures.ts';
import { createCrowdsell, type Crowdsell } from './crowdsell.ts';
import { setNoise } from './test-abilities.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

let union: FakeUnion;
let time: Clock;
let deps: ReturnType<typeof testDeps>;
let app: Crowdsell;
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
  union = await startFakeUnion();
  union.config = await signConfig(makeConfig());
  time = clock(Date.UTC(2026, 10, 25, 10));
  uploads = [];
  deps = testDeps({
    settings: { ...testSettings, unionUrl: union.url },
    now: time.now,
    random: seededRandom(15),
    fetch: (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (url.endsWith('/v1/reports')) uploads.push(time.now());
      return fetch(input, init);
    },
  });
  app = createCrowdsell(deps);
  await setNoise(app, false);
  await app.handlers.giveConsent({});
  await app.handlers.setCategory({ id: categoryId('shopping'), enabled: true });
  await app.handlers.join({});
});
afterEach(async () => {
  (await app.ready()).db.close();
  await union.close();
});

/** Fires the flush alarm at its time until every waiting report is sent. */
async function sendAllWaiting(): Promise<void> {
  for (;;) {
    const when = deps.scheduler.alarms.get('outbox-flush')?.when;
    if (when === undefined) return;
    time.set(Math.max(time.now(), when));
    await app.onAlarm('outbox-flush');
  }
}

describe('when a closed report is first sent', () => {
  it('is a uniform delay after the close, independent of the epoch end and of browser start', async () => {
    const lateness = seededRandom(7);
    const delays: number[] = [];
    const startLateness: number[] = [];
    for (let close = 0; close < 120; close++) {
      // The browser starts 0–40 hours after the last epoch ended (often several epochs later).
      const lastEnd = Math.floor(time.now() / DAY_MS) * DAY_MS + DAY_MS;
      const late = Math.floor(lateness() * 40 * HOUR_MS);
      time.set(lastEnd + late);
      const closedAt = time.now();
      const before = uploads.length;
      await app.onAlarm('epoch-close');
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
    time.set(Math.floor(time.now() / DAY_MS) * DAY_MS + DAY_MS + 1000);
    await app.onAlarm('epoch-close');
    const [waiting] = (await app.handlers.outboxStatus({})).pending;
    const restarted = createCrowdsell(deps);
    const [kept] = (await restarted.handlers.outboxStatus({})).pending;
    expect(kept?.nextAttemptAt).toBe(waiting?.nextAttemptAt);
    expect(deps.scheduler.alarms.get('outbox-flush')?.when).toBe(waiting?.nextAttemptAt);
    (await restarted.ready()).db.close();
  });

  it('draws a new time when its time passed while the browser was closed', async () => {
    time.set(Math.floor(time.now() / DAY_MS) * DAY_MS + DAY_MS + 1000);
    await app.onAlarm('epoch-close');
    const [waiting] = (await app.handlers.outboxStatus({})).pending;
    // The browser was closed through the send time and starts again ten hours later.
    time.set((waiting?.nextAttemptAt ?? 0) + 10 * HOUR_MS);
    const startedAt = time.now();
    await app.onAlarm('outbox-flush');
    expect(uploads).toEqual([]);
    await sendAllWaiting();
    expect(uploads).toHaveLength(1);
    expect((uploads[0] ?? 0) - startedAt).toBeLessThanOrEqual(MAX_SEND_DELAY_MS);
  });
});
