import { describe, expect, it } from 'vitest';

import { withLock } from './database.ts';

describe('withLock', () => {
  it('runs read-modify-write sequences one at a time, so no update is lost', async () => {
    let value = 0;
    const increment = () =>
      withLock('counter', async () => {
        const read = value;
        await new Promise((resolve) => setTimeout(resolve, 1));
        value = read + 1;
      });
    await Promise.all(Array.from({ length: 20 }, increment));
    expect(value).toBe(20);
  });

  it('keeps going after a task fails', async () => {
    await expect(withLock('x', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(withLock('x', () => Promise.resolve(7))).resolves.toBe(7);
  });
});
