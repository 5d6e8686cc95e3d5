import { afterEach, describe, expect, it, vi } from 'vitest';
import { SerialTicks } from './serial-ticks.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('SerialTicks', () => {
  it('starts a tick only after the previous one settled, even when that one failed', async () => {
    const ticks = new SerialTicks(() => undefined);
    const order: string[] = [];
    let release = () => {};
    const first = ticks.serial(
      () =>
        new Promise<void>((resolve) => {
          order.push('first start');
          release = () => {
            order.push('first end');
            resolve();
          };
        }),
    );
    const failing = ticks.serial(() => {
      order.push('second');
      return Promise.reject(new Error('boom'));
    });
    const third = ticks.serial(() => {
      order.push('third');
      return Promise.resolve(3);
    });
    await Promise.resolve();
    release();
    await first;
    await expect(failing).rejects.toThrow('boom');
    await expect(third).resolves.toBe(3);
    expect(order).toEqual(['first start', 'first end', 'second', 'third']);
  });

  it('logs a failed timer tick with its message and stops ticking after stop', async () => {
    vi.useFakeTimers();
    const logged: [string, unknown][] = [];
    const ticks = new SerialTicks((message, error) => logged.push([message, error]));
    const error = new Error('chain down');
    let calls = 0;
    ticks.every(1000, 'job tick failed', () => {
      calls++;
      return Promise.reject(error);
    });
    await vi.advanceTimersByTimeAsync(2000);
    expect(calls).toBe(2);
    expect(logged).toEqual([
      ['job tick failed', error],
      ['job tick failed', error],
    ]);
    await ticks.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toBe(2);
    ticks.runLogged('late tick failed', () => {
      calls++;
      return Promise.reject(error);
    });
    await vi.runAllTimersAsync();
    expect(calls).toBe(2);
    expect(logged).toHaveLength(2);
  });
});
