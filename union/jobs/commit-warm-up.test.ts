/**
 * The committer's warm-up (D-047) starts the Merkle worker threads and prepares the leaf packer
 * once the books are large enough to be built on the workers, and never for smaller books (a
 * test union or `npm start` starts no thread for it); it runs once, and its failure is logged.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { MonoplasmaAccounting } from '../monoplasma/accounting.ts';
import { closeMerkleWorkers, merkleWorkerThreads } from '../monoplasma/merkle.ts';
import { CommitWarmUp } from './commit-warm-up.ts';

afterEach(closeMerkleWorkers);

function booksOf(members: number): MonoplasmaAccounting {
  const books = new MonoplasmaAccounting();
  for (let i = 1; i <= members; i++) books.memberJoined(`0x${i.toString(16).padStart(40, '0')}`, 1);
  return books;
}

function warmUpFor(books: MonoplasmaAccounting | undefined, threshold: number) {
  const prepared: MonoplasmaAccounting[] = [];
  const logged: string[] = [];
  const warmUp = new CommitWarmUp({
    books: () => books,
    prepare: (b) => prepared.push(b),
    log: (message) => logged.push(message),
    threshold,
  });
  return { warmUp, prepared, logged };
}

describe('CommitWarmUp', () => {
  it('starts no worker thread for books below the threshold, nor without books', async () => {
    for (const books of [booksOf(99), undefined]) {
      const { warmUp, prepared } = warmUpFor(books, 100);
      warmUp.consider();
      await warmUp.settled();
      expect(prepared).toEqual([]);
    }
    expect(merkleWorkerThreads()).toBe(0);
  });

  it('at the threshold starts the workers and prepares the packer once', async () => {
    const books = booksOf(100);
    const { warmUp, prepared, logged } = warmUpFor(books, 100);
    warmUp.consider();
    warmUp.consider();
    await warmUp.settled();
    warmUp.consider();
    await warmUp.settled();
    expect(merkleWorkerThreads()).toBe(2);
    expect(prepared).toEqual([books]);
    expect(logged).toEqual([]);
  });

  it('logs a failed preparation instead of throwing', async () => {
    const logged: string[] = [];
    const warmUp = new CommitWarmUp({
      books: () => booksOf(1),
      prepare: () => {
        throw new Error('prepare failed (test)');
      },
      log: (message) => logged.push(message),
      threshold: 1,
    });
    warmUp.consider();
    await expect(warmUp.settled()).resolves.toBeUndefined();
    expect(logged).toEqual(['committer warm-up failed']);
  });
});
