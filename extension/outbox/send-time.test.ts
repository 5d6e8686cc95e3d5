import { describe, expect, it } from 'vitest';

import {
  drawSendAt,
  MAX_SEND_DELAY_MS,
  MISSED_AFTER_MS,
  redrawMissedSendAt,
  sendDelayCeilingMs,
} from './send-time.ts';

const HOUR = 3_600_000;

describe('send times', () => {
  it('waits at most six hours, and never longer than one epoch', () => {
    expect(sendDelayCeilingMs(86_400)).toBe(MAX_SEND_DELAY_MS);
    expect(sendDelayCeilingMs(60)).toBe(60_000);
    expect(drawSendAt(1_000, 86_400, () => 0)).toBe(1_000);
    expect(drawSendAt(1_000, 86_400, () => 1 - 2 ** -53)).toBe(1_000 + MAX_SEND_DELAY_MS);
    expect(drawSendAt(1_000, 60, () => 0.5)).toBe(31_000);
  });

  it('re-draws a missed first attempt, but not a retry, a punctual one, or one near the window end', () => {
    const record = { attempts: 0, nextAttemptAt: 0, epochStart: 0, epochSeconds: 86_400 };
    const late = MISSED_AFTER_MS + 1;
    expect(redrawMissedSendAt(record, late, () => 0.5)).toBe(late + MAX_SEND_DELAY_MS / 2);
    expect(redrawMissedSendAt(record, MISSED_AFTER_MS, () => 0.5)).toBeNull();
    expect(redrawMissedSendAt({ ...record, attempts: 1 }, late, () => 0.5)).toBeNull();
    const older = { attempts: 0, nextAttemptAt: 0, epochStart: 0 }; // written before epochSeconds
    expect(redrawMissedSendAt(older, late, () => 0.5)).toBeNull();
    // Epoch ended at day 1; half the 7-day window is 3.5 days: a re-draw must end by day 4.5.
    expect(redrawMissedSendAt(record, 108 * HOUR - MAX_SEND_DELAY_MS, () => 0)).not.toBeNull();
    expect(redrawMissedSendAt(record, 108 * HOUR - MAX_SEND_DELAY_MS + 1, () => 0)).toBeNull();
  });
});
