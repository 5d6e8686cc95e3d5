/**
 * RootTreePrefetch (D-049): prepares the roots' trees after ticks once the books are large, never
 * for smaller books (a test union or `npm start` builds nothing ahead); one preparation at a time,
 * one more if a tick asked meanwhile; a failure is logged; stop() waits for the one running and
 * lets none start after.
 */
import { describe, expect, it } from 'vitest';

import { MonoplasmaAccounting } from '../monoplasma/accounting.ts';
import { RootTreePrefetch } from './root-tree-prefetch.ts';

function booksOf(members: number): MonoplasmaAccounting {
  const books = new MonoplasmaAccounting();
  for (let i = 1; i <= members; i++) books.memberJoined(`0x${i.toString(16).padStart(40, '0')}`, 1);
  return books;
}

/** A prefetch whose preparations the test finishes (or fails) one by one. */
function controlled(books: MonoplasmaAccounting | undefined, threshold = 100) {
  const runs: { finish: () => void; fail: (e: Error) => void; done: boolean }[] = [];
  const logged: string[] = [];
  const prefetch = new RootTreePrefetch({
    books: () => books,
    prepare: () =>
      new Promise<void>((resolve, reject) => {
        const run = {
          done: false,
          finish: () => {
            run.done = true;
            resolve();
          },
          fail: (e: Error) => {
            run.done = true;
            reject(e);
          },
        };
        runs.push(run);
      }),
    log: (message) => logged.push(message),
    threshold,
  });
  return { prefetch, runs, logged };
}

/** Lets the promise callbacks queued so far run. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('RootTreePrefetch', () => {
  it('prepares nothing for books below the threshold, nor without books', async () => {
    for (const books of [booksOf(99), undefined]) {
      const { prefetch, runs } = controlled(books);
      prefetch.consider();
      await prefetch.settled();
      expect(runs).toEqual([]);
    }
  });

  it('runs one preparation at a time, and one more after it if a tick asked meanwhile', async () => {
    const { prefetch, runs, logged } = controlled(booksOf(100));
    prefetch.consider();
    prefetch.consider();
    prefetch.consider();
    expect(runs).toHaveLength(1);
    runs[0]!.finish();
    await turn();
    expect(runs).toHaveLength(2);
    runs[1]!.finish();
    await prefetch.settled();
    expect(runs).toHaveLength(2);
    prefetch.consider();
    expect(runs).toHaveLength(3);
    runs[2]!.finish();
    await prefetch.settled();
    expect(logged).toEqual([]);
  });

  it('logs a failed preparation instead of throwing, and prepares again on the next tick', async () => {
    const { prefetch, runs, logged } = controlled(booksOf(100));
    prefetch.consider();
    runs[0]!.fail(new Error('build failed (test)'));
    await expect(prefetch.settled()).resolves.toBeUndefined();
    expect(logged).toEqual(['root tree preparation failed']);
    prefetch.consider();
    runs[1]!.finish();
    await prefetch.settled();
    expect(runs).toHaveLength(2);
  });

  it('stop() waits for the preparation running, runs none asked meanwhile, and starts none after', async () => {
    const { prefetch, runs } = controlled(booksOf(100));
    prefetch.consider();
    prefetch.consider(); // due after the running one
    let stopped = false;
    const stopping = prefetch.stop().then(() => (stopped = true));
    await turn();
    expect(stopped).toBe(false);
    runs[0]!.finish();
    await stopping;
    prefetch.consider();
    await prefetch.settled();
    expect(runs.map((r) => r.done)).toEqual([true]);
  });
});
