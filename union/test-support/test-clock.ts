/**
 * The one clock a test and the union under test share. It starts at a fixed instant, not at the
 * wall clock, so no test depends on when it runs (an epoch, hour or day boundary crossed during a
 * run once failed CI); tests that need time to pass move it with `advance` or `set`.
 */

/** 2026-03-10 10:20:00 UTC: mid-hour, mid-day, so small steps either way stay in the same hour. */
export const TEST_START_MS = Date.UTC(2026, 2, 10, 10, 20, 0);

export interface TestClock {
  /** Milliseconds since the Unix epoch, as `Date.now()` would answer. */
  now: () => number;
  /** Whole seconds since the Unix epoch (EIP-712 `issuedAt`, epoch starts). */
  nowSeconds: () => number;
  /** The current instant as a `Date` (SIWE fields, secret expiries, database rows). */
  date: () => Date;
  /** Moves the clock forward by `ms` (never backwards: time only runs forward). */
  advance: (ms: number) => void;
  /** Puts the clock at an absolute instant, in milliseconds. */
  set: (ms: number) => void;
}

export function testClock(startMs: number = TEST_START_MS): TestClock {
  let current = startMs;
  const clock: TestClock = {
    now: () => current,
    nowSeconds: () => Math.floor(current / 1000),
    date: () => new Date(current),
    advance: (ms) => {
      if (!(ms >= 0)) throw new Error(`a test clock only moves forward (advance(${ms}))`);
      current += ms;
    },
    set: (ms) => {
      if (!Number.isFinite(ms)) throw new Error(`not an instant: ${ms}`);
      current = ms;
    },
  };
  return clock;
}
