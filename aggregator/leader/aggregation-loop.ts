/**
 * The leader's aggregation driver run in a loop: each pass runs jobs until none is left to claim
 * (or a job fails — the failure is logged, the pass ends), logs one line for the pass, and waits
 * `intervalMs` before the next. After passes that ended at a failure (the helper down) the wait
 * doubles each time, up to `maxBackoffMs`, and drops back to `intervalMs` after a pass that did
 * not fail (`backoffMs`); meanwhile the driver retries its failed job instead of taking new
 * reports. `stop()` lets the job in flight finish — committed, or left `in_progress` for a retry —
 * starts no other, and resolves when the loop has ended. Nothing here reads a clock: waiting is
 * `schedule` (setTimeout unless a test injects one), the driver has its own clock.
 */
import type { JobRun } from './aggregation-driver.ts';

export interface AggregationLoopOptions {
  readonly runOne: () => Promise<JobRun | null>;
  readonly intervalMs: number;
  /** The longest wait after failed passes (default `DEFAULT_MAX_BACKOFF_MS`). */
  readonly maxBackoffMs?: number;
  readonly log: (line: string) => void;
  /** Calls `wake` after `ms`; returns a cancel. Default: setTimeout. */
  readonly schedule?: (ms: number, wake: () => void) => () => void;
}

/** Five minutes: a helper back from an outage is retried within this. */
export const DEFAULT_MAX_BACKOFF_MS = 300_000;

/** The wait after `failures` passes in a row that ended at a failure (0: the normal interval). */
export function backoffMs(failures: number, intervalMs: number, maxBackoffMs: number): number {
  if (failures === 0) return intervalMs;
  return Math.min(intervalMs * 2 ** Math.min(failures, 30), Math.max(maxBackoffMs, intervalMs));
}

const setTimeoutSchedule = (ms: number, wake: () => void) => {
  const timer = setTimeout(wake, ms);
  return () => clearTimeout(timer);
};

export interface PassSummary {
  readonly jobs: number;
  readonly finished: number;
  readonly failed: number;
  readonly abandoned: number;
  /** The error that ended the pass early, if one did. */
  readonly error?: string;
}

/** The one log line of a pass; `null` when it did nothing (an idle pass logs nothing). */
export function passLine(pass: PassSummary): string | null {
  if (pass.jobs === 0 && pass.error === undefined) return null;
  const parts = [
    `aggregation: ${pass.jobs} job${pass.jobs === 1 ? '' : 's'}`,
    `${pass.finished} reports finished`,
    `${pass.failed} failed`,
  ];
  if (pass.abandoned > 0) parts.push(`${pass.abandoned} job(s) abandoned`);
  const line = parts.join(', ');
  return pass.error === undefined
    ? line
    : `${line}; stopped at a failed job (retried, no new reports taken until it succeeds): ${pass.error}`;
}

export function startAggregationLoop(options: AggregationLoopOptions) {
  let stopping = false;
  let wake: () => void = () => {};

  async function pass(): Promise<PassSummary> {
    let summary: PassSummary = { jobs: 0, finished: 0, failed: 0, abandoned: 0 };
    while (!stopping) {
      let run: JobRun | null;
      try {
        run = await options.runOne();
      } catch (error) {
        return { ...summary, error: error instanceof Error ? error.message : String(error) };
      }
      if (run === null) break;
      summary = {
        jobs: summary.jobs + 1,
        finished: summary.finished + run.finished,
        failed: summary.failed + run.failed,
        abandoned: summary.abandoned + (run.abandoned === undefined ? 0 : 1),
      };
    }
    return summary;
  }

  async function loop(): Promise<void> {
    const schedule = options.schedule ?? setTimeoutSchedule;
    const maxBackoff = options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
    let failures = 0;
    while (!stopping) {
      const summary = await pass();
      const line = passLine(summary);
      if (line !== null) options.log(line);
      failures = summary.error === undefined ? 0 : failures + 1;
      if (stopping) break;
      await new Promise<void>((resolve) => {
        const cancel = schedule(backoffMs(failures, options.intervalMs, maxBackoff), resolve);
        wake = () => {
          cancel();
          resolve();
        };
      });
    }
  }

  const ended = loop();
  return {
    /** Finishes the job in flight, starts no other; resolves once the loop has ended. */
    stop(): Promise<void> {
      stopping = true;
      wake();
      return ended;
    },
  };
}
