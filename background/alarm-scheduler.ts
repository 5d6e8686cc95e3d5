/** The core's `Scheduler` on `browser.alarms` (timers do not survive the worker; alarms do). */
import type { Alarms } from 'webextension-polyfill';

import type { Scheduler } from '../extension/app/app-deps.ts';

/** Chrome 120+ fires alarms no sooner than 30 s from now. */
const MIN_DELAY_MS = 30_000;

export function alarmScheduler(alarms: Alarms.Static, now: () => number): Scheduler {
  return {
    async at(name, whenMs) {
      await alarms.create(name, { when: Math.max(whenMs, now() + MIN_DELAY_MS) });
    },
    async every(name, periodMinutes) {
      const existing = await alarms.get(name);
      if (existing?.periodInMinutes === periodMinutes) return;
      await alarms.create(name, { delayInMinutes: periodMinutes, periodInMinutes: periodMinutes });
    },
    async clear(name) {
      await alarms.clear(name);
    },
  };
}
