/**
 * The leader's aggregation driver run in a loop: each pass runs jobs until none is left to claim
 * (or a job fails — the failure is logged, the job waits for its lease, the pass ends), logs one
 * line for the pass, and waits `intervalMs` before the next. `stop()` lets the job in flight
 * finish — committed, or left `in_progress` for a retry after its lease — starts no other, and
 * resolves when the loop has ended. Nothing here reads a clock: the driver has its own injected.
 */
import type { JobRun } from './aggregation-driver.ts';

export interface AggregationLoopOptions {
  readonly runOne: () => Promise<JobRun | null>;
  readonly intervalMs: number;
  readonly log: (line: string) => void;
}

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
    : `${line}; stopped at a failed job (retried after its lease): ${pass.error}`;
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
    while (!stopping) {
      const line = passLine(await pass());
      if (line !== null) options.log(line);
      if (stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.intervalMs);
        wake = () => {
          clearTimeout(timer);
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
