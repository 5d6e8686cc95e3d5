/**
 * The aggregation loop around a scripted driver (no clock, no database): one log line per pass
 * that did something, a failed job ends the pass with its reason and the waits back off, and
 * `stop()` lets the job in flight finish, starts no other and resolves once the loop has ended.
 */
import { describe, expect, it } from 'vitest';
import type { JobRun } from './aggregation-driver.ts';
import { backoffMs, passLine, startAggregationLoop } from './aggregation-loop.ts';

const HOUR_MS = 3_600_000;
const job = (finished: number, failed: number, abandoned?: string): JobRun => ({
  jobId: 'j',
  finished,
  failed,
  applied: true,
  ...(abandoned === undefined ? {} : { abandoned }),
});

describe('the aggregation loop', () => {
  it('runs jobs until none is left, logs one line for the pass, and stops while waiting', async () => {
    const lines: string[] = [];
    const script: (JobRun | null)[] = [job(3, 0), job(1, 1), job(0, 2, 'refused')];
    let idle!: () => void;
    const reachedIdle = new Promise<void>((resolve) => (idle = resolve));
    const loop = startAggregationLoop({
      runOne: () => {
        const next = script.shift() ?? null;
        if (next === null) idle();
        return Promise.resolve(next);
      },
      intervalMs: HOUR_MS,
      log: (line) => lines.push(line),
    });
    await reachedIdle;
    await loop.stop();
    expect(lines).toEqual([
      'aggregation: 3 jobs, 4 reports finished, 3 failed, 1 job(s) abandoned',
    ]);
  });

  it('stop() waits for the job in flight and starts no other', async () => {
    const lines: string[] = [];
    let calls = 0;
    let finish!: (run: JobRun) => void;
    let started!: () => void;
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    const loop = startAggregationLoop({
      runOne: () => {
        calls += 1;
        started();
        return new Promise<JobRun>((resolve) => (finish = resolve));
      },
      intervalMs: HOUR_MS,
      log: (line) => lines.push(line),
    });
    await inFlight;
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    finish(job(2, 0));
    await stopping;
    expect(calls).toBe(1);
    expect(lines).toEqual(['aggregation: 1 job, 2 reports finished, 0 failed']);
  });

  it('backs off after failed passes (doubling, capped) and waits the interval again after a pass that did not fail', async () => {
    const script: (JobRun | null | Error)[] = [
      new Error('fetch failed'),
      new Error('fetch failed'),
      new Error('fetch failed'),
      new Error('fetch failed'),
      job(1, 0),
      null,
    ];
    const waits: number[] = [];
    let drained!: () => void;
    const scriptDone = new Promise<void>((resolve) => (drained = resolve));
    const loop = startAggregationLoop({
      runOne: () => {
        const next = script.shift();
        if (next instanceof Error) return Promise.reject(next);
        return Promise.resolve(next ?? null);
      },
      intervalMs: 10_000,
      maxBackoffMs: 60_000,
      log: () => {},
      schedule: (ms, wake) => {
        waits.push(ms);
        if (script.length > 0) queueMicrotask(wake);
        else drained();
        return () => {};
      },
    });
    await scriptDone;
    await loop.stop();
    expect(waits).toEqual([20_000, 40_000, 60_000, 60_000, 10_000]);
    expect(backoffMs(0, 10_000, 60_000)).toBe(10_000);
    expect(backoffMs(1_000, 10_000, 60_000)).toBe(60_000);
  });

  it('a failing job ends the pass with its reason (the job is retried first)', () => {
    expect(passLine({ jobs: 1, finished: 2, failed: 0, abandoned: 0, error: 'fetch failed' })).toBe(
      'aggregation: 1 job, 2 reports finished, 0 failed; stopped at a failed job (retried, no new reports taken until it succeeds): fetch failed',
    );
    expect(passLine({ jobs: 0, finished: 0, failed: 0, abandoned: 0 })).toBeNull();
  });
});
