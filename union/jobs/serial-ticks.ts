/**
 * What every union job shares: its ticks run one after another (a tick never overlaps the
 * previous one, and a failed tick does not stop the next), timers that stop ticking once
 * `stop` is called, and a failure on a timer is logged rather than thrown.
 */
export class SerialTicks {
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(private readonly log: (message: string, error?: unknown) => void) {}

  /** Runs `fn` once the previous run has settled. */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.running.then(fn, fn);
    this.running = result.catch(() => undefined);
    return result;
  }

  /** Runs `fn` now unless stopped; a failure is logged as `failure`. */
  runLogged(failure: string, fn: () => Promise<unknown>): void {
    if (this.stopped) return;
    fn().catch((error: unknown) => this.log(failure, error));
  }

  /** Runs `fn` every `intervalMs` until `stop`; a failure is logged as `failure`. */
  every(intervalMs: number, failure: string, fn: () => Promise<unknown>): void {
    this.timers.push(setInterval(() => this.runLogged(failure, fn), intervalMs));
  }

  /** Stops the timers and waits for the tick in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await this.running.catch(() => undefined);
  }
}
